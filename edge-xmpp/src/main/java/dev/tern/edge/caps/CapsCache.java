package dev.tern.edge.caps;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The features of each verified {@code ver} (XEP-0115 §6.3), shared by the sessions of an edge so
 * that a client is asked once per version of its software, not once per login. Bounded: the
 * least recently used entry goes first.
 */
public final class CapsCache {

  /** Distinct client versions an edge remembers. */
  public static final int DEFAULT_SIZE = 10_000;

  private final Map<String, Set<String>> byVer;

  public CapsCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.byVer = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
        return size() > capacity;
      }
    };
  }

  public synchronized Optional<Set<String>> features(String ver) {
    return Optional.ofNullable(byVer.get(ver));
  }

  /** Remembers {@code features} for {@code ver}; only for a ver they were checked against. */
  public synchronized void put(String ver, Set<String> features) {
    byVer.put(ver, Set.copyOf(features));
  }
}
