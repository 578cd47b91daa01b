package dev.tern.edge.bind2;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl2.Sasl2Exception;
import dev.tern.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A client's {@code <bind xmlns='urn:xmpp:bind:0'/>} inside its SASL2 {@code <authenticate/>}
 * (XEP-0386 §3.2), acted on only once authentication succeeded.
 *
 * @param tag the text of {@code <tag/>} as sent, stripped of surrounding whitespace: the client
 *     software's name, for the resource ({@link Bind2Resources} sanitises it)
 * @param inlineRequests the session features to enable, every child outside the Bind 2
 *     namespace in document order, such as {@code <enable xmlns='urn:xmpp:sm:3'/>} or
 *     {@code <inactive xmlns='urn:xmpp:csi:0'/>}
 */
public record Bind2Request(Optional<String> tag, List<XmlElement> inlineRequests) {

  /** Longest {@code <tag/>} accepted, in characters: a resourcepart's 1023 bytes at most. */
  public static final int MAX_TAG_LENGTH = 1023;

  public Bind2Request {
    requireNonNull(tag, "tag");
    inlineRequests = List.copyOf(requireNonNull(inlineRequests, "inlineRequests"));
  }

  /**
   * The bind request among the inline requests of a SASL2 {@code <authenticate/>}, if there is
   * one.
   *
   * @throws Sasl2Exception {@link SaslFailure#MALFORMED_REQUEST} for two bind requests, or a bind
   *     request {@link #parse} refuses
   */
  public static Optional<Bind2Request> find(List<XmlElement> authenticateInlineRequests)
      throws Sasl2Exception {
    requireNonNull(authenticateInlineRequests, "authenticateInlineRequests");
    @Nullable XmlElement found = null;
    for (XmlElement e : authenticateInlineRequests) {
      if (e.name().equals("bind") && e.namespace().equals(Bind2.NAMESPACE)) {
        if (found != null) {
          throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST, "more than one <bind/>");
        }
        found = e;
      }
    }
    return found == null ? Optional.empty() : Optional.of(parse(found));
  }

  /**
   * Parses {@code <bind xmlns='urn:xmpp:bind:0'/>}.
   *
   * @throws Sasl2Exception {@link SaslFailure#MALFORMED_REQUEST} for two tags or a tag longer than
   *     {@link #MAX_TAG_LENGTH}
   * @throws IllegalArgumentException if {@code bind} is not a Bind 2 {@code <bind/>}
   */
  public static Bind2Request parse(XmlElement bind) throws Sasl2Exception {
    requireNonNull(bind, "bind");
    if (!bind.name().equals("bind") || !bind.namespace().equals(Bind2.NAMESPACE)) {
      throw new IllegalArgumentException("not a Bind 2 <bind/>: " + bind.name());
    }
    Optional<String> tag = Optional.empty();
    List<XmlElement> inline = new ArrayList<>();
    for (XmlElement child : bind.elements()) {
      if (!child.namespace().equals(Bind2.NAMESPACE)) {
        inline.add(child);
      } else if (child.name().equals("tag")) {
        if (tag.isPresent()) {
          throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST, "more than one <tag/>");
        }
        String text = child.text().strip();
        if (text.length() > MAX_TAG_LENGTH) {
          throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST,
              "the <tag/> is longer than " + MAX_TAG_LENGTH + " characters");
        }
        tag = text.isEmpty() ? Optional.empty() : Optional.of(text);
      }
    }
    return new Bind2Request(tag, inline);
  }

  /** The first inline request named {@code name} in {@code namespace}. */
  public Optional<XmlElement> inlineRequest(String name, String namespace) {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    return inlineRequests.stream()
        .filter(e -> e.name().equals(name) && e.namespace().equals(namespace))
        .findFirst();
  }

  /** The {@code <bind/>} element, as a client would send it. */
  public XmlElement toElement() {
    XmlElement.Builder b = XmlElement.builder("bind", Bind2.NAMESPACE);
    tag.ifPresent(t -> b.child(XmlElement.builder("tag", Bind2.NAMESPACE).text(t).build()));
    inlineRequests.forEach(b::child);
    return b.build();
  }
}
