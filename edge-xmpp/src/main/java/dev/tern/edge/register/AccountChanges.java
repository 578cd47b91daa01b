package dev.tern.edge.register;

import dev.tern.xmpp.jid.Jid;
import java.util.concurrent.CompletionStage;

/**
 * What the edge tells the rest of the federation about an account (XEP-0077): its removal, which
 * the routers carry out, and the changes every edge acts on by closing sessions.
 */
public interface AccountChanges {

  /** Removes the account of {@code user} (a bare JID) and what it owns; fails if not done. */
  CompletionStage<Void> remove(Jid user);

  /** Tells every edge and router that {@code user}'s account is gone: its sessions close. */
  void announceRemoval(Jid user);

  /**
   * Tells every edge that the password of {@code kept}'s account changed: every session of the
   * account but {@code kept} (a full JID, the session that changed it) closes.
   */
  void announcePasswordChange(Jid kept);
}
