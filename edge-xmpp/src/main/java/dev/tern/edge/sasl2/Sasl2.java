package dev.tern.edge.sasl2;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.sasl.SaslBase64;
import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl.SaslStep;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The elements of XEP-0388 other than {@code <authenticate/>} and {@code <success/>} (see
 * {@link Sasl2Authenticate} and {@link Sasl2Success}): the stream feature, challenges, responses
 * and failures. SASL data is base 64 in all of them (XEP-0388 "SASL Data Encoding"); unlike RFC 6120 there is no
 * {@code =} for empty data, an empty element is empty data.
 */
public final class Sasl2 {

  /** The namespace of XEP-0388. */
  public static final String NAMESPACE = "urn:xmpp:sasl:2";

  /** The namespace of the RFC 6120 §6.5 condition inside a SASL2 {@code <failure/>}. */
  public static final String SASL_NAMESPACE = "urn:ietf:params:xml:ns:xmpp-sasl";

  /** Local names of the top-level elements a client sends. */
  public static final String AUTHENTICATE = "authenticate";
  public static final String RESPONSE = "response";
  public static final String ABORT = "abort";

  private Sasl2() {}

  /**
   * The {@code <authentication/>} stream feature (XEP-0388 "Discovering Support"): the mechanisms, most preferred
   * first, and the inline features a client may request in its {@code <authenticate/>} (such as
   * Bind 2's {@code <bind/>} or FAST's {@code <fast/>}), inside {@code <inline/>} when there are
   * any.
   *
   * @throws IllegalArgumentException without mechanisms: SASL2 must then not be offered at all
   */
  public static XmlElement feature(List<String> mechanisms, List<XmlElement> inlineFeatures) {
    requireNonNull(mechanisms, "mechanisms");
    requireNonNull(inlineFeatures, "inlineFeatures");
    if (mechanisms.isEmpty()) {
      throw new IllegalArgumentException("SASL2 is not offered without a mechanism (XEP-0388)");
    }
    XmlElement.Builder b = XmlElement.builder("authentication", NAMESPACE);
    for (String m : mechanisms) {
      b.child(XmlElement.builder("mechanism", NAMESPACE).text(m).build());
    }
    if (!inlineFeatures.isEmpty()) {
      XmlElement.Builder inline = XmlElement.builder("inline", NAMESPACE);
      inlineFeatures.forEach(inline::child);
      b.child(inline.build());
    }
    return b.build();
  }

  /** {@code <challenge/>} with {@code data} (XEP-0388 "Challenges and Responses"). */
  public static XmlElement challenge(byte[] data) {
    return XmlElement.builder("challenge", NAMESPACE).text(encode(data)).build();
  }

  /**
   * The data of a {@code <response/>} (XEP-0388 "Challenges and Responses").
   *
   * @throws Sasl2Exception {@link SaslFailure#INCORRECT_ENCODING} if it is not base 64
   */
  public static byte[] response(XmlElement response) throws Sasl2Exception {
    requireNonNull(response, "response");
    if (!response.name().equals(RESPONSE) || !response.namespace().equals(NAMESPACE)) {
      throw new IllegalArgumentException("not a SASL2 <response/>: " + response.name());
    }
    return decode(response.text());
  }

  /**
   * {@code <failure/>} with the RFC 6120 condition of {@code failure} and, unless empty, its text
   * (XEP-0388 "Failure").
   */
  public static XmlElement failure(SaslStep.Failure failure) {
    requireNonNull(failure, "failure");
    XmlElement.Builder b = XmlElement.builder("failure", NAMESPACE)
        .child(XmlElement.builder(failure.condition().elementName(), SASL_NAMESPACE).build());
    if (!failure.text().isEmpty()) {
      b.child(XmlElement.builder("text", NAMESPACE).attribute("xml:lang", "en")
          .text(failure.text()).build());
    }
    return b.build();
  }

  /** As {@link #failure(SaslStep.Failure)}. */
  public static XmlElement failure(SaslFailure condition, String text) {
    return failure(new SaslStep.Failure(condition, text));
  }

  /** Whether {@code element} is the client's {@code <abort/>}. */
  public static boolean isAbort(XmlElement element) {
    return element.name().equals(ABORT) && element.namespace().equals(NAMESPACE);
  }

  /** Base 64 without line breaks; empty data is an empty element. */
  static String encode(byte[] data) {
    return Base64.getEncoder().encodeToString(requireNonNull(data, "data"));
  }

  /**
   * The bytes of the base 64 {@code text}; whitespace around it, which pretty-printed XML adds,
   * is ignored.
   */
  static byte[] decode(String text) throws Sasl2Exception {
    String stripped = text.strip();
    Optional<byte[]> bytes = SaslBase64.decode(stripped);
    if (bytes.isEmpty()) {
      throw new Sasl2Exception(SaslFailure.INCORRECT_ENCODING, "not base 64");
    }
    return bytes.get();
  }
}
