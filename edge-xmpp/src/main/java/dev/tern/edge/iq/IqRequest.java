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
 */
public record IqRequest(XmlElement iq, XmlElement payload, Optional<Jid> sender, boolean secure,
    Consumer<XmlElement> toSender) {

  /** An IQ whose handler sends nothing but its reply. */
  public IqRequest(XmlElement iq, XmlElement payload, Optional<Jid> sender, boolean secure) {
    this(iq, payload, sender, secure, stanza -> {
      throw new IllegalStateException("this request cannot send stanzas");
    });
  }

  public String type() {
    return iq.attribute("type").orElse("");
  }
}
