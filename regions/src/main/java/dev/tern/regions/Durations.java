package dev.tern.regions;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human durations of config files: {@code 250ms}, {@code 5s}, {@code 2 minutes}. */
public final class Durations {

  private static final Pattern FORMAT = Pattern.compile(
      "(\\d+)\\s*(ms|millis|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)");

  private Durations() {}

  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (write e.g. 250ms, 5s, 2 minutes, 1h, 30 days)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2);
    if (unit.startsWith("ms") || unit.startsWith("milli")) {
      return Duration.ofMillis(n);
    }
    return switch (unit.charAt(0)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
