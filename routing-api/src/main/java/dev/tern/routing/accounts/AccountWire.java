package dev.tern.routing.accounts;

import dev.tern.routing.RouterSubjects;

/** The NATS wire of account removal (XEP-0077 §3.2) between edges and routers. */
public final class AccountWire {

  /**
   * Edge → every edge and router of every region (no queue group; it crosses the
   * supercluster's gateways): the account of the username in header {@code MessageWire.USER}
   * was removed (sent once the removing session has its answer). Edges close its sessions,
   * routers forget it exists.
   */
  public static final String REMOVED = "tern.accounts.removed";

  /**
   * Edge → every edge of every region: the password of the account of the full JID in header
   * {@code MessageWire.USER} changed; every session of the account but that one closes.
   */
  public static final String PASSWORD_CHANGED = "tern.accounts.password-changed";

  private AccountWire() {}

  /**
   * Edge → any router of the region (request/reply): remove the account in header
   * {@code MessageWire.USER} (a username) and what it owns. The reply is empty when done, or
   * carries a {@code Refusal}.
   */
  public static String remove(String region) {
    return RouterSubjects.prefix(region) + "account-remove";
  }
}
