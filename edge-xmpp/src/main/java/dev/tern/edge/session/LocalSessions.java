package dev.tern.edge.session;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The sessions bound on this edge, by full JID (RFC 6120 §7). */
public final class LocalSessions {

  private final ConcurrentMap<Jid, XmppSession> byJid = new ConcurrentHashMap<>();
  private final ConcurrentMap<Jid, java.util.Set<XmppSession>> byBare = new ConcurrentHashMap<>();

  /** Binds {@code session}; returns the session it replaces, which must then be closed. */
  Optional<XmppSession> bind(Jid fullJid, XmppSession session) {
    byBare.computeIfAbsent(fullJid.bare(), b -> ConcurrentHashMap.newKeySet()).add(session);
    return Optional.ofNullable(byJid.put(fullJid, session)).filter(s -> s != session);
  }

  /** The sessions of {@code bareJid} bound on this edge. */
  public java.util.Set<XmppSession> sessionsOf(Jid bareJid) {
    return byBare.getOrDefault(bareJid, java.util.Set.of());
  }

  /** The session bound to {@code fullJid} on this edge, if any. */
  public Optional<XmppSession> session(Jid fullJid) {
    return Optional.ofNullable(byJid.get(fullJid));
  }

  boolean isBound(Jid fullJid) {
    return byJid.containsKey(fullJid);
  }

  /** Returns true when this was the user's last session on this edge. */
  boolean unbind(Jid fullJid, XmppSession session) {
    byJid.remove(fullJid, session);
    boolean[] last = {false};
    byBare.computeIfPresent(fullJid.bare(), (b, set) -> {
      set.remove(session);
      last[0] = set.isEmpty();
      return set.isEmpty() ? null : set;
    });
    return last[0];
  }

  /** A passing stanza to the one resource it names, or to every session of the user here. */
  public boolean pass(Jid bareJid, EdgeMessaging.Passing passing) {
    Optional<Jid> to;
    try {
      to = Optional.of(Jid.parse(passing.toJid()));
    } catch (JidMalformedException e) {
      to = Optional.empty();
    }
    if (to.isPresent() && to.get().resource().isPresent()) {
      return session(to.get()).map(s -> s.pass(passing)).orElse(false);
    }
    boolean taken = false;
    for (XmppSession s : sessionsOf(bareJid)) {
      taken |= s.pass(passing);
    }
    return taken;
  }

  /** Every session bound on this edge: their edge's NATS connection came back. */
  public void natsReconnected() {
    byJid.values().forEach(XmppSession::natsReconnected);
  }

  public int size() {
    return byJid.size();
  }
}
