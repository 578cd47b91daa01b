package dev.tern.storage.fast;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link FastTokenStore} in a map, for fast unit tests of the code that uses tokens. The
 * product always runs on {@code CassandraFastTokenStore} (tern-storage);
 * both pass the same contract test.
 * Expired tokens are dropped when their device is next looked at.
 */
public final class InMemoryFastTokenStore implements FastTokenStore {

  private record Device(String username, String deviceId) {}

  private final Clock clock;
  // Per device: the tokens keyed by their secret in hex.
  private final ConcurrentMap<Device, Map<String, FastToken>> devices = new ConcurrentHashMap<>();

  /** A store whose tokens expire by the system clock. */
  public InMemoryFastTokenStore() {
    this(Clock.systemUTC());
  }

  /** A store whose tokens expire by {@code clock}. */
  public InMemoryFastTokenStore(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public CompletionStage<Void> put(FastToken token) {
    requireNonNull(token, "token");
    if (!token.hasExpired(clock.instant())) {
      devices.compute(new Device(token.username(), token.deviceId()), (device, tokens) -> {
        Map<String, FastToken> out = tokens == null ? new LinkedHashMap<>() : tokens;
        out.put(key(token.secret()), token);
        return out;
      });
    }
    return done();
  }

  @Override
  public CompletionStage<List<FastToken>> find(String username, String deviceId) {
    requireNonNull(username, "username");
    requireNonNull(deviceId, "deviceId");
    List<FastToken> found = new ArrayList<>();
    devices.computeIfPresent(new Device(username, deviceId), (device, tokens) -> {
      tokens.values().removeIf(t -> t.hasExpired(clock.instant()));
      found.addAll(tokens.values());
      return tokens.isEmpty() ? null : tokens;
    });
    found.sort(Comparator.comparing(FastToken::expires).reversed());
    return CompletableFuture.completedFuture(List.copyOf(found));
  }

  @Override
  public CompletionStage<Void> delete(String username, String deviceId, byte[] secret) {
    requireNonNull(username, "username");
    requireNonNull(deviceId, "deviceId");
    String key = key(requireNonNull(secret, "secret"));
    devices.computeIfPresent(new Device(username, deviceId), (device, tokens) -> {
      tokens.remove(key);
      return tokens.isEmpty() ? null : tokens;
    });
    return done();
  }

  @Override
  public CompletionStage<Void> deleteAll(String username, String deviceId) {
    requireNonNull(username, "username");
    requireNonNull(deviceId, "deviceId");
    devices.remove(new Device(username, deviceId));
    return done();
  }

  private static String key(byte[] secret) {
    return HexFormat.of().formatHex(secret);
  }

  private static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
