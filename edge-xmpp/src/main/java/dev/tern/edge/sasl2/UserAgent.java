package dev.tern.edge.sasl2;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.sasl.SaslFailure;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code <user-agent/>} of a SASL2 {@code <authenticate/>} (XEP-0388 §5.1.1): a stable id of
 * the client installation, and optionally names of the software and the device for people to
 * read. FAST (XEP-0484) keeps its tokens per id, and Bind 2 (XEP-0386) derives a stable resource
 * from it.
 *
 * @param id a UUID (RFC 4122 §3 text form), held in lower case so that it can key stored data
 * @param software the client software, e.g. {@code AwesomeXMPP}
 * @param device the device's name as its user knows it, e.g. {@code Kiva's Phone}
 */
public record UserAgent(String id, Optional<String> software, Optional<String> device) {

  /** Longest {@code <software/>} or {@code <device/>} text accepted, in characters. */
  public static final int MAX_TEXT_LENGTH = 256;

  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public UserAgent {
    requireNonNull(id, "id");
    requireNonNull(software, "software");
    requireNonNull(device, "device");
    if (!isUuid(id)) {
      throw new IllegalArgumentException("user-agent id is not a UUID: " + id);
    }
    id = id.toLowerCase(Locale.ROOT);
    software.ifPresent(UserAgent::checkText);
    device.ifPresent(UserAgent::checkText);
  }

  /** Whether {@code id} is a UUID in the text form of RFC 4122 §3 (any version, any case). */
  public static boolean isUuid(String id) {
    return UUID.matcher(requireNonNull(id, "id")).matches();
  }

  private static void checkText(String text) {
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          "user-agent text longer than " + MAX_TEXT_LENGTH + " characters");
    }
  }

  /**
   * The user agent of a {@code <user-agent/>} element, or nothing when it has no {@code id}
   * (software and device names alone identify nothing, so they are dropped).
   *
   * @throws Sasl2Exception {@link SaslFailure#MALFORMED_REQUEST} when the id is not a UUID or a
   *     text is too long
   */
  static Optional<UserAgent> parse(XmlElement element) throws Sasl2Exception {
    Optional<String> id = element.attribute("id");
    if (id.isEmpty()) {
      return Optional.empty();
    }
    if (!isUuid(id.get())) {
      throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST,
          "the user-agent id must be a UUID (XEP-0388 §5.1.1)");
    }
    Optional<String> software = text(element, "software");
    Optional<String> device = text(element, "device");
    try {
      return Optional.of(new UserAgent(id.get(), software, device));
    } catch (IllegalArgumentException e) {
      throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST, requireNonNull(e.getMessage()));
    }
  }

  private static Optional<String> text(XmlElement element, String name) {
    return element.child(name, Sasl2.NAMESPACE).map(e -> e.text().strip())
        .filter(s -> !s.isEmpty());
  }

  /** The {@code <user-agent/>} element for this user agent. */
  public XmlElement toElement() {
    XmlElement.Builder b = XmlElement.builder("user-agent", Sasl2.NAMESPACE).attribute("id", id);
    software.ifPresent(s -> b.child(XmlElement.builder("software", Sasl2.NAMESPACE).text(s).build()));
    device.ifPresent(d -> b.child(XmlElement.builder("device", Sasl2.NAMESPACE).text(d).build()));
    return b.build();
  }
}
