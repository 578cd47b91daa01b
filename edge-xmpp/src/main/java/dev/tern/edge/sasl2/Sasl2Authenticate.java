package dev.tern.edge.sasl2;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.sasl.SaslFailure;
import dev.tern.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A client's {@code <authenticate/>} (XEP-0388 "Initiation"): the mechanism, its initial response, the
 * user agent, and the inline requests of other extensions to be acted on once authentication
 * succeeds, such as Bind 2's {@code <bind/>} (XEP-0386) or FAST's {@code <request-token/>} and
 * {@code <fast/>} (XEP-0484).
 *
 * @param mechanism the mechanism name; the session checks that it was offered
 * @param initialResponse the initial response, raw bytes; absent when there was no
 *     {@code <initial-response/>}, empty when it was empty
 * @param userAgent the user agent, when the client sent one with an id
 * @param inlineRequests every child element outside the SASL2 namespace, in document order
 */
public record Sasl2Authenticate(String mechanism, Optional<byte[]> initialResponse,
    Optional<UserAgent> userAgent, List<XmlElement> inlineRequests) {

  // RFC 4422 §3.1: sasl-mech = 1*20mech-char; mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
  private static final Pattern MECHANISM_NAME = Pattern.compile("[A-Z0-9_-]{1,20}");

  public Sasl2Authenticate {
    requireNonNull(mechanism, "mechanism");
    initialResponse = requireNonNull(initialResponse, "initialResponse").map(byte[]::clone);
    requireNonNull(userAgent, "userAgent");
    inlineRequests = List.copyOf(requireNonNull(inlineRequests, "inlineRequests"));
    if (!MECHANISM_NAME.matcher(mechanism).matches()) {
      throw new IllegalArgumentException("not a SASL mechanism name: " + mechanism);
    }
  }

  /**
   * Parses {@code <authenticate xmlns='urn:xmpp:sasl:2'/>}.
   *
   * @throws Sasl2Exception {@link SaslFailure#INVALID_MECHANISM} when no mechanism is named or the
   *     name is not one (RFC 4422 §3.1); {@link SaslFailure#INCORRECT_ENCODING} when the initial
   *     response is not base 64; {@link SaslFailure#MALFORMED_REQUEST} for two initial responses
   *     or user agents, or a user-agent id that is not a UUID
   * @throws IllegalArgumentException if {@code element} is not an {@code <authenticate/>}
   */
  public static Sasl2Authenticate parse(XmlElement element) throws Sasl2Exception {
    requireNonNull(element, "element");
    if (!element.name().equals(Sasl2.AUTHENTICATE) || !element.namespace().equals(Sasl2.NAMESPACE)) {
      throw new IllegalArgumentException("not a SASL2 <authenticate/>: " + element.name());
    }
    String mechanism = element.attribute("mechanism").orElse("");
    if (mechanism.isEmpty()) {
      throw new Sasl2Exception(SaslFailure.INVALID_MECHANISM, "no mechanism is named");
    }
    if (!MECHANISM_NAME.matcher(mechanism).matches()) {
      throw new Sasl2Exception(SaslFailure.INVALID_MECHANISM, "not a mechanism name");
    }
    XmlElement initial = only(element, "initial-response");
    XmlElement agent = only(element, "user-agent");
    List<XmlElement> inline = new ArrayList<>();
    for (XmlElement child : element.elements()) {
      if (!child.namespace().equals(Sasl2.NAMESPACE)) {
        inline.add(child);
      }
    }
    Optional<byte[]> response = initial == null
        ? Optional.empty() : Optional.of(Sasl2.decode(initial.text()));
    Optional<UserAgent> userAgent = agent == null ? Optional.empty() : UserAgent.parse(agent);
    return new Sasl2Authenticate(mechanism, response, userAgent, inline);
  }

  private static @Nullable XmlElement only(XmlElement parent, String name) throws Sasl2Exception {
    @Nullable XmlElement found = null;
    for (XmlElement child : parent.elements()) {
      if (child.name().equals(name) && child.namespace().equals(Sasl2.NAMESPACE)) {
        if (found != null) {
          throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST, "more than one <" + name + "/>");
        }
        found = child;
      }
    }
    return found;
  }

  @Override
  public Optional<byte[]> initialResponse() {
    return initialResponse.map(byte[]::clone);
  }

  /** The first inline request named {@code name} in {@code namespace}. */
  public Optional<XmlElement> inlineRequest(String name, String namespace) {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    return inlineRequests.stream()
        .filter(e -> e.name().equals(name) && e.namespace().equals(namespace))
        .findFirst();
  }

  /** The {@code <authenticate/>} element, as a client would send it. */
  public XmlElement toElement() {
    XmlElement.Builder b = XmlElement.builder(Sasl2.AUTHENTICATE, Sasl2.NAMESPACE)
        .attribute("mechanism", mechanism);
    initialResponse.ifPresent(r -> b.child(
        XmlElement.builder("initial-response", Sasl2.NAMESPACE).text(Sasl2.encode(r)).build()));
    userAgent.ifPresent(a -> b.child(a.toElement()));
    inlineRequests.forEach(b::child);
    return b.build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Sasl2Authenticate a
        && mechanism.equals(a.mechanism)
        && initialResponse.isPresent() == a.initialResponse.isPresent()
        && Arrays.equals(initialResponse.orElse(null), a.initialResponse.orElse(null))
        && userAgent.equals(a.userAgent)
        && inlineRequests.equals(a.inlineRequests);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mechanism, initialResponse.map(Arrays::hashCode), userAgent,
        inlineRequests);
  }

  @Override
  public String toString() {
    return "Sasl2Authenticate[" + mechanism + ", "
        + initialResponse.map(r -> r.length + " bytes").orElse("no initial response") + ", "
        + userAgent + ", " + inlineRequests.size() + " inline requests]";
  }
}
