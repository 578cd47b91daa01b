package dev.tern.edge.session;

import dev.tern.edge.jid.Jid;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The sessions bound on this edge, by full JID (RFC 6120 §7). */
public final class LocalSessions {

  private final ConcurrentMap<Jid, XmppSession> byJid = new ConcurrentHashMap<>();

  /** Binds {@code session}; returns the session it replaces, which must then be closed. */
  Optional<XmppSession> bind(Jid fullJid, XmppSession session) {
    return Optional.ofNullable(byJid.put(fullJid, session)).filter(s -> s != session);
  }

  boolean isBound(Jid fullJid) {
    return byJid.containsKey(fullJid);
  }

  void unbind(Jid fullJid, XmppSession session) {
    byJid.remove(fullJid, session);
  }

  public int size() {
    return byJid.size();
  }
}
