package dev.tern.regions;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes as config files write it: {@code 256 KiB}, {@code 1 MiB}, {@code 512 B}. */
public record DataSize(long bytes) {

  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(b|kib|kb|mib|mb|gib|gb)?");

  public DataSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative");
    }
  }

  public static DataSize parse(String text) {
    Matcher m = FORMAT.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a size: '" + text + "' (write e.g. 512 B, 256 KiB, 1 MiB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    return new DataSize(switch (unit.charAt(0)) {
      case 'k' -> n * 1024;
      case 'm' -> n * 1024 * 1024;
      case 'g' -> n * 1024 * 1024 * 1024;
      default -> n;
    });
  }

  public int intBytes() {
    return Math.toIntExact(bytes);
  }
}
