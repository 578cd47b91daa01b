package dev.tern.edge.session;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.vcard.VCardClient;
import dev.tern.routing.Refusal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routers' vCards in a map, for session tests: reads of another user's vCard are refused
 * as the test says ({@link #refuseOthers}), the way blocking refuses them on a router.
 */
public final class FakeVCards implements VCardClient {

  private final Map<String, String> vcards = new ConcurrentHashMap<>();
  private volatile Optional<Refusal> refusal = Optional.empty();

  /** Reads of another user's vCard are refused with {@code refusal} (e.g. XEP-0191's). */
  public FakeVCards refuseOthers(Refusal refusal) {
    this.refusal = Optional.of(refusal);
    return this;
  }

  /** {@code user}'s vCard as stored, if any. */
  public Optional<String> stored(String user) {
    return Optional.ofNullable(vcards.get(user));
  }

  public FakeVCards put(String user, String xml) {
    vcards.put(user, xml);
    return this;
  }

  @Override
  public CompletionStage<Optional<String>> vcard(String requester, String owner) {
    if (refusal.isPresent() && !requester.startsWith(owner + "/")) {
      return CompletableFuture.failedFuture(new EdgeMessaging.Refused(refusal.get()));
    }
    return CompletableFuture.completedFuture(Optional.ofNullable(vcards.get(owner)));
  }

  @Override
  public CompletionStage<Void> set(String user, String xml) {
    vcards.put(user, xml);
    return CompletableFuture.completedFuture(null);
  }
}
