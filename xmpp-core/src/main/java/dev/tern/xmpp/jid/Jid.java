package dev.tern.xmpp.jid;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.jid.JidMalformedException.Part;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * An XMPP address, {@code [localpart@]domainpart[/resourcepart]} (RFC 7622), held in its
 * canonical form: two addresses are equal exactly when their canonical forms are.
 *
 * <ul>
 *   <li>localpart: PRECIS UsernameCaseMapped (RFC 8265 §3.3), so case-folded and NFC-normalized,
 *       and without {@code " & ' / : < > @} (RFC 7622 §3.3.1);
 *   <li>domainpart: an IP literal ({@code 192.0.2.1}, {@code [2001:db8::1]}) or a domain name,
 *       lower-cased, mapped from A-labels and full-width forms to Unicode, a single trailing dot
 *       removed (RFC 7622 §3.2). The IDNA step is {@link java.net.IDN}'s (IDNA2003 with STD3
 *       rules), which maps a few characters that IDNA2008 keeps, such as {@code ß} to {@code ss};
 *   <li>resourcepart: PRECIS OpaqueString (RFC 8265 §4.2), case and spaces preserved.
 * </ul>
 *
 * <p>Each part is 1 to 1023 bytes in UTF-8. Parsing splits at the first {@code /} and then at the
 * first {@code @} before it (RFC 7622 §3.1), so a resourcepart may hold {@code @} and {@code /}.
 */
public final class Jid {

  /** The most bytes (UTF-8) a part may have (RFC 7622 §3.2, §3.3, §3.4). */
  public static final int MAX_PART_BYTES = 1023;

  /** Inputs longer than this cannot shrink below the limit; they are refused unprepared. */
  private static final int MAX_RAW_PART_CHARS = 8 * MAX_PART_BYTES;

  /** RFC 7622 §3.3.1. */
  private static final String FORBIDDEN_IN_LOCALPART = "\"&'/:<>@";

  private final @Nullable String local;
  private final String domain;
  private final @Nullable String resource;
  private final String canonical;

  private Jid(@Nullable String local, String domain, @Nullable String resource) {
    this.local = local;
    this.domain = domain;
    this.resource = resource;
    this.canonical = (local == null ? "" : local + "@") + domain
        + (resource == null ? "" : "/" + resource);
  }

  /**
   * Parses and prepares an address such as {@code juliet@example.com/balcony}.
   *
   * @throws JidMalformedException naming the part that RFC 7622 does not allow, and why
   */
  public static Jid parse(String s) throws JidMalformedException {
    requireNonNull(s, "s");
    int slash = s.indexOf('/');
    String head = slash < 0 ? s : s.substring(0, slash);
    int at = head.indexOf('@');
    String local = at < 0 ? null : head.substring(0, at);
    String domain = at < 0 ? head : head.substring(at + 1);
    String resource = slash < 0 ? null : s.substring(slash + 1);
    return prepare(local, domain, resource);
  }

  /**
   * An address from its parts, each prepared as {@link #parse} would.
   *
   * @param local the localpart, or null for none
   * @param domain the domainpart
   * @param resource the resourcepart, or null for none
   * @throws IllegalArgumentException if a part is malformed; its cause is the
   *     {@link JidMalformedException} saying which and why. Use {@link #parse} for untrusted input
   *     to get the checked exception directly.
   */
  public static Jid of(@Nullable String local, String domain, @Nullable String resource) {
    requireNonNull(domain, "domain");
    try {
      return prepare(local, domain, resource);
    } catch (JidMalformedException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Jid prepare(@Nullable String local, String domain, @Nullable String resource)
      throws JidMalformedException {
    // Domain first: "/foobar" and "juliet@" are reported for their missing domain.
    String preparedDomain = domainpart(domain);
    return new Jid(local == null ? null : localpart(local), preparedDomain,
        resource == null ? null : resourcepart(resource));
  }

  public Optional<String> local() {
    return Optional.ofNullable(local);
  }

  public String domain() {
    return domain;
  }

  public Optional<String> resource() {
    return Optional.ofNullable(resource);
  }

  /** Whether this address has no resourcepart. */
  public boolean isBare() {
    return resource == null;
  }

  /** This address without its resourcepart. */
  public Jid bare() {
    return resource == null ? this : new Jid(local, domain, null);
  }

  /**
   * This address with the resourcepart {@code r}, prepared with OpaqueString.
   *
   * @throws IllegalArgumentException if {@code r} is not a resourcepart; its cause is the
   *     {@link JidMalformedException}. For a resource chosen by a client (RFC 6120 §7.7) use
   *     {@code Jid.parse(bare() + "/" + r)} to get the checked exception.
   */
  public Jid withResource(String r) {
    requireNonNull(r, "r");
    try {
      return new Jid(local, domain, resourcepart(r));
    } catch (JidMalformedException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The canonical string form, {@code [localpart@]domainpart[/resourcepart]}. */
  @Override
  public String toString() {
    return canonical;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Jid other && canonical.equals(other.canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  private static String localpart(String raw) throws JidMalformedException {
    checkRawLength(Part.LOCALPART, raw);
    if (raw.isEmpty()) {
      throw new JidMalformedException(Part.LOCALPART, raw, "is empty");
    }
    String prepared;
    try {
      prepared = PrecisProfiles.USERNAME_CASE_MAPPED.enforce(raw);
    } catch (IllegalArgumentException e) {
      throw new JidMalformedException(Part.LOCALPART, raw,
          "is not a PRECIS UsernameCaseMapped string (RFC 8265 §3.3): " + e.getMessage());
    }
    for (int i = 0; i < prepared.length(); i++) {
      char c = prepared.charAt(i);
      if (FORBIDDEN_IN_LOCALPART.indexOf(c) >= 0) {
        throw new JidMalformedException(Part.LOCALPART, raw,
            "contains '" + c + "', which RFC 7622 §3.3.1 forbids");
      }
    }
    return checkLength(Part.LOCALPART, raw, prepared);
  }

  private static String domainpart(String raw) throws JidMalformedException {
    checkRawLength(Part.DOMAINPART, raw);
    String name = raw;
    if (!name.isEmpty() && isLabelSeparator(name.charAt(name.length() - 1))) {
      name = name.substring(0, name.length() - 1); // RFC 7622 §3.2: one final dot is stripped
    }
    if (name.isEmpty()) {
      throw new JidMalformedException(Part.DOMAINPART, raw, "is empty");
    }
    if (name.startsWith("[")) {
      return checkLength(Part.DOMAINPART, raw, ipv6Literal(raw, name));
    }
    String prepared;
    try {
      prepared = PrecisProfiles.IDN.enforce(name);
    } catch (IllegalArgumentException e) {
      throw new JidMalformedException(Part.DOMAINPART, raw,
          "is not a domain name or IP address: " + e.getMessage());
    }
    if (prepared.isEmpty() || prepared.startsWith(".") || prepared.endsWith(".")
        || prepared.contains("..")) {
      throw new JidMalformedException(Part.DOMAINPART, raw, "has an empty label");
    }
    return checkLength(Part.DOMAINPART, raw, prepared);
  }

  /** An IPv6 address in brackets (RFC 3986 §3.2.2), in its RFC 5952 form. */
  private static String ipv6Literal(String raw, String name) throws JidMalformedException {
    String address = name.endsWith("]") ? name.substring(1, name.length() - 1) : "";
    Inet6Address parsed = address.indexOf('%') < 0 && NetUtil.isValidIpV6Address(address)
        ? NetUtil.getByName(address)
        : null;
    if (parsed == null) {
      throw new JidMalformedException(Part.DOMAINPART, raw, "is not an IPv6 address literal");
    }
    return "[" + NetUtil.toAddressString(parsed, true) + "]";
  }

  private static boolean isLabelSeparator(char c) {
    return c == '.' || c == '\u3002' || c == '\uFF0E' || c == '\uFF61'; // RFC 3490 §3.1
  }

  private static String resourcepart(String raw) throws JidMalformedException {
    checkRawLength(Part.RESOURCEPART, raw);
    if (raw.isEmpty()) {
      throw new JidMalformedException(Part.RESOURCEPART, raw, "is empty");
    }
    String prepared;
    try {
      prepared = PrecisProfiles.OPAQUE_STRING.enforce(raw);
    } catch (IllegalArgumentException e) {
      throw new JidMalformedException(Part.RESOURCEPART, raw,
          "is not a PRECIS OpaqueString (RFC 8265 §4.2): " + e.getMessage());
    }
    return checkLength(Part.RESOURCEPART, raw, prepared);
  }

  private static void checkRawLength(Part part, String raw) throws JidMalformedException {
    if (raw.length() > MAX_RAW_PART_CHARS) {
      throw new JidMalformedException(part, raw, "is longer than " + MAX_PART_BYTES + " bytes");
    }
  }

  private static String checkLength(Part part, String raw, String prepared)
      throws JidMalformedException {
    if (prepared.isEmpty()) {
      throw new JidMalformedException(part, raw, "is empty");
    }
    int bytes = prepared.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PART_BYTES) {
      throw new JidMalformedException(part, raw,
          "is " + bytes + " bytes long, more than " + MAX_PART_BYTES + " (RFC 7622 §3)");
    }
    // The caller's own string when preparation changed nothing: a session's address then shares
    // the server's domain and the authenticated username instead of holding copies.
    return prepared.equals(raw) ? raw : prepared;
  }
}
