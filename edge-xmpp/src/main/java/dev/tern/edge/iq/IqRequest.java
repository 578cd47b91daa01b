package dev.tern.edge.iq;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One IQ of type get or set, as the session hands it to a handler.
 *
 * @param iq the stanza, {@code from} already stamped when the sender is bound
 * @param payload its single child element
 * @param sender the sender's full JID, empty before resource binding
 * @param secure whether the stream is encrypted (TLS or a loopback WebSocket)
 * @param toSender sends a stanza to the requesting session, ahead of the IQ's reply when called
 *     before the handler's stage completes (XEP-0313 results precede the IQ result); callable
 *     from any thread
 * @param afterAnswer runs an action once the IQ's answer was handed to the session (XEP-0077
 *     closes the stream of a removed account after answering); callable from any thread
 */
public record IqRequest(XmlElement iq, XmlElement payload, Optional<Jid> sender, boolean secure,
    Consumer<XmlElement> toSender, Consumer<Runnable> afterAnswer) {

  /** An IQ whose handler sends nothing but its reply. */
  public IqRequest(XmlElement iq, XmlElement payload, Optional<Jid> sender, boolean secure) {
    this(iq, payload, sender, secure, stanza -> {
      throw new IllegalStateException("this request cannot send stanzas");
    });
  }

  /** An IQ whose handler does nothing after its answer. */
  public IqRequest(XmlElement iq, XmlElement payload, Optional<Jid> sender, boolean secure,
      Consumer<XmlElement> toSender) {
    this(iq, payload, sender, secure, toSender, action -> {
      throw new IllegalStateException("this request runs nothing after its answer");
    });
  }

  public String type() {
    return iq.attribute("type").orElse("");
  }
}
