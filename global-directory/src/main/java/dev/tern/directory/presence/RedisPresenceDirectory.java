package dev.tern.directory.presence;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The {@link PresenceDirectory} on Redis Cluster. Redis 7.0 has no expiry per hash field, so
 * liveness is kept per edge, and a user's entries point at their edge:
 *
 * <pre>
 * tern:dir:{alice@example.com}        hash    resource → edgeId|region|since ms|token   (no TTL)
 * tern:dir:{alice@example.com}:seen   string  last seen, epoch ms                       (no TTL)
 * tern:dir:edge:{edgeId}              string  region, PX = the edge's TTL: alive while it exists
 * tern:dir:edge:{edgeId}:last         string  last heartbeat, epoch ms, kept 7 days
 * tern:dir:edge:{edgeId}:sessions     set     full JIDs bound on the edge                (no TTL)
 * tern:dir:edges:{region}            set     edges of the region that heartbeat, not stopped (no TTL)
 * </pre>
 *
 * <p>A user's two keys share the hash tag {@code {bare JID}}, so one Lua script updates both
 * (remove a resource, set last seen when it was the last one) atomically; an edge's two keys share
 * {@code {edgeId}}. A lookup reads the user's hash, then the liveness key of each edge it names
 * (usually one or two), and drops the entries of dead edges with a script that deletes a field
 * only if it still holds the value that was read, so it never removes a registration made in
 * between. Values carry the session's token, so a session that ends removes its entry only if no
 * newer session took the resource over.
 *
 * <p>Jedis blocks, so commands run on {@code executor}.
 */
public final class RedisPresenceDirectory implements PresenceDirectory {

  private static final String PREFIX = "tern:dir:";
  /** How long an edge's last heartbeat is remembered, to date its users' last seen. */
  private static final Duration KEEP_LAST_BEAT = Duration.ofDays(7);

  /** KEYS: alive, last. ARGV: region, ttl ms, now ms, keep-last ms. */
  private static final Script HEARTBEAT = new Script(
      "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])\n"
          + "redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])\n"
          + "return 1\n");

  /** KEYS: alive, last. ARGV: now ms, keep-last ms. */
  private static final Script STOPPED = new Script(
      "redis.call('DEL', KEYS[1])\n"
          + "redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])\n"
          + "return 1\n");

  /**
   * KEYS: the user's hash, last seen. ARGV: last-seen candidate ms, resource to remove (or ''),
   * its token, then pairs of (resource, exact value) of dead entries. Returns 1 if anything was
   * removed. Last seen only moves forward.
   */
  private static final Script REMOVE = new Script(
      "local removed = false\n"
          + "if ARGV[2] ~= '' then\n"
          + "  local v = redis.call('HGET', KEYS[1], ARGV[2])\n"
          + "  local suffix = '|' .. ARGV[3]\n"
          + "  if v and string.sub(v, -#suffix) == suffix then\n"
          + "    redis.call('HDEL', KEYS[1], ARGV[2])\n"
          + "    removed = true\n"
          + "  end\n"
          + "end\n"
          + "for i = 4, #ARGV, 2 do\n"
          + "  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then\n"
          + "    redis.call('HDEL', KEYS[1], ARGV[i])\n"
          + "    removed = true\n"
          + "  end\n"
          + "end\n"
          + "if removed and redis.call('HLEN', KEYS[1]) == 0 then\n"
          + "  local seen = tonumber(redis.call('GET', KEYS[2]) or '0')\n"
          + "  if tonumber(ARGV[1]) > seen then redis.call('SET', KEYS[2], ARGV[1]) end\n"
          + "end\n"
          + "if removed then return 1 end\n"
          + "return 0\n");

  /** The edges of a region that heartbeat, until they stop cleanly or are reaped. */
  private static String edgesKey(String region) {
    return PREFIX + "edges:{" + region + "}";
  }

  /**
   * KEYS: alive, sessions. Nil while the edge is alive; else its sessions, having deleted them,
   * so that only one caller gets them.
   */
  private static final Script REAP = new Script(
      "if redis.call('EXISTS', KEYS[1]) == 1 then return false end\n"
          + "local m = redis.call('SMEMBERS', KEYS[2])\n"
          + "redis.call('DEL', KEYS[2])\n"
          + "return m\n");

  private final RedisClusterClient redis;
  private final Executor executor;

  /**
   * @param redis the directory's cluster client ({@code GlobalDirectory.redis()})
   * @param executor where the blocking Jedis calls run
   */
  public RedisPresenceDirectory(RedisClusterClient redis, Executor executor) {
    this.redis = requireNonNull(redis, "redis");
    this.executor = requireNonNull(executor, "executor");
  }

  /** The key of a user's resources; last seen is this plus {@code :seen}. */
  public static String userKey(String bareJid) {
    return PREFIX + "{" + bareJid + "}";
  }

  /** The liveness key of an edge; its last heartbeat is this plus {@code :last}. */
  public static String edgeKey(String edgeId) {
    return PREFIX + "edge:{" + edgeId + "}";
  }

  @Override
  public CompletionStage<Void> heartbeat(String edgeId, String region, Duration ttl) {
    Registration.checkName("edgeId", edgeId);
    Registration.checkName("region", region);
    requireNonNull(ttl, "ttl");
    long now = System.currentTimeMillis();
    return async(() -> {
      run(HEARTBEAT, List.of(edgeKey(edgeId), edgeKey(edgeId) + ":last"), List.of(region,
          Long.toString(Math.max(1, ttl.toMillis())), Long.toString(now),
          Long.toString(KEEP_LAST_BEAT.toMillis())));
      redis.sadd(edgesKey(region), edgeId); // after the liveness key: never seen dead first
      return null;
    });
  }

  @Override
  public CompletionStage<Void> edgeStopped(String edgeId) {
    Registration.checkName("edgeId", edgeId);
    long now = System.currentTimeMillis();
    return async(() -> {
      String region = redis.get(edgeKey(edgeId)); // the liveness key holds the region
      run(STOPPED, List.of(edgeKey(edgeId), edgeKey(edgeId) + ":last"),
          List.of(Long.toString(now), Long.toString(KEEP_LAST_BEAT.toMillis())));
      redis.del(sessionsKey(edgeId)); // its sessions ended and said so themselves
      if (region != null) {
        redis.srem(edgesKey(region), edgeId);
      } // else it was already dead: a reaper finds it with no sessions

      return null;
    });
  }

  @Override
  public CompletionStage<Void> register(Registration r) {
    requireNonNull(r, "registration");
    return async(() -> {
      redis.hset(userKey(r.bareJid()), r.resource(), encode(r));
      redis.sadd(sessionsKey(r.edgeId()), fullJid(r));
      return null;
    });
  }

  @Override
  public CompletionStage<Void> unregister(Registration r, Instant at) {
    requireNonNull(r, "registration");
    requireNonNull(at, "at");
    return async(() -> {
      Map<String, String> entries = new HashMap<>(redis.hgetAll(userKey(r.bareJid())));
      entries.remove(r.resource());
      Dead dead = dead(r.bareJid(), entries);
      List<String> args = new ArrayList<>();
      args.add(Long.toString(at.toEpochMilli()));
      args.add(r.resource());
      args.add(r.token());
      args.addAll(dead.fieldsAndValues());
      remove(r.bareJid(), args);
      redis.srem(sessionsKey(r.edgeId()), fullJid(r));
      return null;
    });
  }

  @Override
  public CompletionStage<List<DeadEdge>> reapDeadEdges(String region) {
    Registration.checkName("region", region);
    return async(() -> {
      List<DeadEdge> dead = new ArrayList<>();
      for (String edge : redis.smembers(edgesKey(region))) {
        Object reply = run(REAP, List.of(edgeKey(edge), sessionsKey(edge)), List.of());
        if (reply instanceof List<?> members) {
          List<String> jids = new ArrayList<>();
          for (Object m : members) {
            jids.add(m instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                : String.valueOf(m));
          }
          redis.srem(edgesKey(region), edge);
          dead.add(new DeadEdge(edge, jids));
        }
      }
      return dead;
    });
  }

  private static String sessionsKey(String edgeId) {
    return edgeKey(edgeId) + ":sessions";
  }

  private static String fullJid(Registration r) {
    return r.bareJid() + "/" + r.resource();
  }

  @Override
  public CompletionStage<UserLocation> where(String bareJid) {
    requireNonNull(bareJid, "bareJid");
    return async(() -> {
      Map<String, String> entries = new HashMap<>(redis.hgetAll(userKey(bareJid)));
      Dead dead = dead(bareJid, entries);
      if (!dead.entries().isEmpty()) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(dead.lastAlive().toEpochMilli()));
        args.add("");
        args.add("");
        args.addAll(dead.fieldsAndValues());
        remove(bareJid, args);
      }
      List<ConnectedResource> live = new ArrayList<>();
      entries.forEach((resource, value) -> {
        if (!dead.entries().containsKey(resource)) {
          Registration r = decode(bareJid, resource, value);
          if (r != null) {
            live.add(r.connected());
          }
        }
      });
      String seen = redis.get(userKey(bareJid) + ":seen");
      return new UserLocation(bareJid, live,
          Optional.ofNullable(seen).map(s -> Instant.ofEpochMilli(Long.parseLong(s))));
    });
  }

  /** Entries of edges that no longer heartbeat, and the latest moment one of them was alive. */
  private record Dead(Map<String, String> entries, Instant lastAlive) {
    List<String> fieldsAndValues() {
      List<String> out = new ArrayList<>();
      entries.forEach((field, value) -> {
        out.add(field);
        out.add(value);
      });
      return out;
    }
  }

  private Dead dead(String bareJid, Map<String, String> entries) {
    Set<String> edges = new LinkedHashSet<>();
    Map<String, Registration> parsed = new HashMap<>();
    Map<String, String> dead = new HashMap<>();
    entries.forEach((resource, value) -> {
      Registration r = decode(bareJid, resource, value);
      if (r == null) {
        dead.put(resource, value); // not ours to read: drop it
      } else {
        parsed.put(resource, r);
        edges.add(r.edgeId());
      }
    });
    Map<String, Instant> deadEdges = new HashMap<>();
    for (String edge : edges) {
      if (!redis.exists(edgeKey(edge))) {
        String last = redis.get(edgeKey(edge) + ":last");
        deadEdges.put(edge, last == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(last)));
      }
    }
    Instant lastAlive = Instant.EPOCH;
    for (Map.Entry<String, Registration> e : parsed.entrySet()) {
      Instant beat = deadEdges.get(e.getValue().edgeId());
      if (beat != null) {
        dead.put(e.getKey(), entries.get(e.getKey()));
        Instant alive = beat.isAfter(e.getValue().since()) ? beat : e.getValue().since();
        lastAlive = alive.isAfter(lastAlive) ? alive : lastAlive;
      }
    }
    return new Dead(dead, lastAlive);
  }

  private void remove(String bareJid, List<String> args) {
    run(REMOVE, List.of(userKey(bareJid), userKey(bareJid) + ":seen"), args);
  }

  static String encode(Registration r) {
    return r.edgeId() + "|" + r.region() + "|" + r.since().toEpochMilli() + "|" + r.token();
  }

  static @Nullable Registration decode(String bareJid, String resource, String value) {
    String[] parts = value.split("\\|", -1);
    if (parts.length != 4) {
      return null;
    }
    try {
      return new Registration(bareJid, resource, parts[1], parts[0],
          Instant.ofEpochMilli(Long.parseLong(parts[2])), parts[3]);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private <T> CompletionStage<T> async(Supplier<T> command) {
    try {
      return CompletableFuture.supplyAsync(command, executor).minimalCompletionStage();
    } catch (RuntimeException e) { // a full executor: the directory is soft state
      return CompletableFuture.failedFuture(e);
    }
  }

  private @Nullable Object run(Script script, List<String> keys, List<String> args) {
    try {
      return redis.evalsha(script.sha, keys, args);
    } catch (JedisNoScriptException e) {
      return redis.eval(script.source, keys, args); // loads it into that node's script cache
    }
  }

  /** A Lua script and its SHA-1, for EVALSHA. */
  private static final class Script {
    final String source;
    final String sha;

    Script(String source) {
      this.source = source;
      try {
        this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
            .digest(source.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-1", e);
      }
    }
  }
}
