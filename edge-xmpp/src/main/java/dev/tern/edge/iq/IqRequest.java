package dev.tern.edge.iq;

import dev.tern.edge.jid.Jid;
import dev.tern.edge.xml.XmlElement;
import java.util.Optional;

/**
 * One IQ of type get or set, as the session hands it to a handler.
 *
 * @param iq the stanza, {@code from} already stamped when the sender is bound
 * @param payload its single child element
 * @param sender the sender's full JID, empty before resource binding
 * @param secure whether the stream is encrypted (TLS or a loopback WebSocket)
 */
public record IqRequest(XmlElement iq, XmlElement payload, Optional<Jid> sender, boolean secure) {

  public String type() {
    return iq.attribute("type").orElse("");
  }
}
