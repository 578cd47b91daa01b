package dev.tern.edge.register;

import dev.tern.xmpp.jid.Jid;
import java.util.concurrent.CompletionStage;

/** How the edge removes an account (XEP-0077 §3.2): the routers remove it and what it owns. */
public interface AccountRemovals {

  /** Removes the account of {@code user} (a bare JID) and what it owns; fails if not done. */
  CompletionStage<Void> remove(Jid user);

  /** Tells every edge and router that {@code user}'s account is gone: its sessions close. */
  void announce(Jid user);
}
