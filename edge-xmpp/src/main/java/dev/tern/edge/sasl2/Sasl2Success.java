package dev.tern.edge.sasl2;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.edge.sasl.SaslStep;
import dev.tern.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The server's {@code <success/>} (XEP-0388 "Success"). The session sends it once the mechanism
 * succeeded and the inline requests were acted on, followed at once by the stream features of
 * the authenticated stream: there is no stream restart.
 *
 * @param additionalData the mechanism's additional data (the SCRAM server-final-message, the HT
 *     responder message), absent when it has none
 * @param authorizationIdentifier the authenticated identity: the bare JID, or the full JID once
 *     Bind 2 bound a resource
 * @param inlineResults the answers to inline requests in document order, such as Bind 2's
 *     {@code <bound/>} or FAST's {@code <token/>}
 */
public record Sasl2Success(Optional<byte[]> additionalData, Jid authorizationIdentifier,
    List<XmlElement> inlineResults) {

  public Sasl2Success {
    additionalData = requireNonNull(additionalData, "additionalData").map(byte[]::clone);
    requireNonNull(authorizationIdentifier, "authorizationIdentifier");
    inlineResults = List.copyOf(requireNonNull(inlineResults, "inlineResults"));
  }

  /**
   * The success of {@code step}: its additional data, if it has any, for {@code identifier}.
   */
  public static Sasl2Success of(SaslStep.Success step, Jid identifier, List<XmlElement> results) {
    byte[] data = requireNonNull(step, "step").additionalData();
    return new Sasl2Success(data.length == 0 ? Optional.empty() : Optional.of(data), identifier,
        results);
  }

  @Override
  public Optional<byte[]> additionalData() {
    return additionalData.map(byte[]::clone);
  }

  /** The {@code <success/>} element. */
  public XmlElement toElement() {
    XmlElement.Builder b = XmlElement.builder("success", Sasl2.NAMESPACE);
    additionalData.ifPresent(d -> b.child(
        XmlElement.builder("additional-data", Sasl2.NAMESPACE).text(Sasl2.encode(d)).build()));
    b.child(XmlElement.builder("authorization-identifier", Sasl2.NAMESPACE)
        .text(authorizationIdentifier.toString()).build());
    inlineResults.forEach(b::child);
    return b.build();
  }

  /**
   * Parses a {@code <success/>}, as a client reads it.
   *
   * @throws IllegalArgumentException if it is not one, or its identifier is not a JID, or its
   *     additional data is not base 64
   */
  public static Sasl2Success parse(XmlElement element) {
    requireNonNull(element, "element");
    if (!element.name().equals("success") || !element.namespace().equals(Sasl2.NAMESPACE)) {
      throw new IllegalArgumentException("not a SASL2 <success/>: " + element.name());
    }
    Optional<byte[]> data = Optional.empty();
    @Nullable Jid identifier = null;
    List<XmlElement> results = new ArrayList<>();
    for (XmlElement child : element.elements()) {
      if (!child.namespace().equals(Sasl2.NAMESPACE)) {
        results.add(child);
      } else if (child.name().equals("additional-data")) {
        try {
          data = Optional.of(Sasl2.decode(child.text()));
        } catch (Sasl2Exception e) {
          throw new IllegalArgumentException("additional-data is not base 64", e);
        }
      } else if (child.name().equals("authorization-identifier")) {
        try {
          identifier = Jid.parse(child.text().strip());
        } catch (JidMalformedException e) {
          throw new IllegalArgumentException("authorization-identifier is not a JID", e);
        }
      }
    }
    if (identifier == null) {
      throw new IllegalArgumentException("<success/> without <authorization-identifier/>");
    }
    return new Sasl2Success(data, identifier, results);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Sasl2Success s
        && additionalData.isPresent() == s.additionalData.isPresent()
        && Arrays.equals(additionalData.orElse(null), s.additionalData.orElse(null))
        && authorizationIdentifier.equals(s.authorizationIdentifier)
        && inlineResults.equals(s.inlineResults);
  }

  @Override
  public int hashCode() {
    return Objects.hash(additionalData.map(Arrays::hashCode), authorizationIdentifier,
        inlineResults);
  }

  @Override
  public String toString() {
    return "Sasl2Success[" + authorizationIdentifier + ", "
        + additionalData.map(d -> d.length + " bytes").orElse("no additional data") + ", "
        + inlineResults.size() + " inline results]";
  }
}
