package dev.tern.edge.session;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Counts unauthenticated connections per client address, to refuse a flood from one address. */
final class ConnectionLimiter {

  private final int maxPerAddress;
  private final ConcurrentMap<InetAddress, Integer> unauthenticated = new ConcurrentHashMap<>();

  ConnectionLimiter(int maxPerAddress) {
    this.maxPerAddress = maxPerAddress;
  }

  /** Counts one more; false (and nothing counted) if the address is at its limit. */
  boolean acquire(InetAddress address) {
    boolean[] ok = {false};
    unauthenticated.compute(address, (a, n) -> {
      int current = n == null ? 0 : n;
      if (current >= maxPerAddress) {
        return n;
      }
      ok[0] = true;
      return current + 1;
    });
    return ok[0];
  }

  void release(InetAddress address) {
    unauthenticated.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }
}
