package dev.tern.edge.sid;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.session.EdgeModule;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import dev.tern.xmpp.xml.XmlElement;

/**
 * XEP-0359 §3.3: a client's message loses the {@code <stanza-id/>} elements that name this
 * service before any other module, the routers or the recipient see it. Keeps nothing per
 * session: every session shares one part.
 */
public final class StanzaIdModule implements EdgeModule {

  private final SessionModule part;

  /** @param domain the XMPP domain this edge serves */
  public StanzaIdModule(String domain) {
    requireNonNull(domain, "domain");
    this.part = new SessionModule() {
      @Override
      public XmlElement filter(XmlElement stanza) {
        return stanza.name().equals("message") ? StanzaIds.withoutOwn(stanza, domain) : stanza;
      }
    };
  }

  @Override
  public SessionModule attach(Session session) {
    return part;
  }
}
