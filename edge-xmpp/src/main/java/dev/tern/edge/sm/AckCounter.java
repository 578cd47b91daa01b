package dev.tern.edge.sm;

/**
 * An XEP-0198 {@code h}: a count of handled stanzas as an unsigned 32-bit integer that goes from
 * 2^32-1 back to 0 instead of growing further (§4). Comparisons are by {@link #distance}, which
 * stays right across the wrap.
 *
 * <p>One counter belongs to one stream and is used on its event loop; it is not thread-safe.
 */
public final class AckCounter {

  /** 2^32. */
  public static final long MODULUS = 1L << 32;
  private static final long MASK = MODULUS - 1;

  private long value;

  /** A counter at 0: nothing handled yet (§4). */
  public AckCounter() {
    this(0);
  }

  /** A counter carried over from a resumed stream. */
  public AckCounter(long start) {
    this.value = requireValid(start);
  }

  public long value() {
    return value;
  }

  /** Counts one more stanza handled; returns the new value. */
  public long increment() {
    value = (value + 1) & MASK;
    return value;
  }

  /** {@code h + n}, modulo 2^32. */
  public static long add(long h, long n) {
    requireValid(h);
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    return (h + n) & MASK;
  }

  /**
   * How many increments take {@code from} to {@code to}: {@code to - from} modulo 2^32, in
   * [0, 2^32). From 2^32-2 to 1 is 3.
   */
  public static long distance(long from, long to) {
    return (requireValid(to) - requireValid(from)) & MASK;
  }

  /** Whether {@code h} is a value an {@code h} attribute may hold. */
  public static boolean isValid(long h) {
    return h >= 0 && h < MODULUS;
  }

  /**
   * Reads an {@code h} attribute: an XML Schema unsignedInt (digits, an optional {@code +},
   * leading zeros allowed, surrounding whitespace collapsed).
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static long parse(String text) {
    String s = text.strip();
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not an unsignedInt: '" + text + "'");
    }
    int first = 0;
    while (first < s.length() - 1 && s.charAt(first) == '0') {
      first++;
    }
    String digits = s.substring(first);
    if (digits.length() > 10 || Long.parseLong(digits) > MASK) {
      throw new IllegalArgumentException("beyond 2^32-1: " + text);
    }
    return Long.parseLong(digits);
  }

  /** {@code h}, if it is valid. */
  static long requireValid(long h) {
    if (!isValid(h)) {
      throw new IllegalArgumentException("not an unsigned 32-bit h: " + h);
    }
    return h;
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
