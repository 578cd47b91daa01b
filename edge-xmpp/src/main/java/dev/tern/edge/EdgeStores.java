package dev.tern.edge;

import static java.util.Objects.requireNonNull;

import dev.tern.directory.sm.ResumptionStore;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.fast.FastTokenStore;

/**
 * What an edge keeps outside its own memory, and the secrets all edges of all regions share.
 *
 * @param accounts SCRAM credentials (Cassandra)
 * @param fastTokens XEP-0484 tokens per device (Cassandra)
 * @param resumption XEP-0198 resumable streams (Redis Cluster), so another edge can resume them
 * @param unknownUserSecret key of SASL's stand-in salts for unknown users; never changes
 * @param bind2Key key of the stable per-device resources of Bind 2 (XEP-0386); never changes
 * @param bearerKey key of the short-lived bearer tokens for the WebSocket upgrade
 */
public record EdgeStores(AccountStore accounts, FastTokenStore fastTokens,
    ResumptionStore resumption, byte[] unknownUserSecret, byte[] bind2Key, byte[] bearerKey) {

  public EdgeStores {
    requireNonNull(accounts, "accounts");
    requireNonNull(fastTokens, "fastTokens");
    requireNonNull(resumption, "resumption");
    unknownUserSecret = requireNonNull(unknownUserSecret, "unknownUserSecret").clone();
    bind2Key = requireNonNull(bind2Key, "bind2Key").clone();
    bearerKey = requireNonNull(bearerKey, "bearerKey").clone();
  }
}
