package dev.tern.directory.sm;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The region's {@link ResumptionStore}: two keys per session in Redis Cluster, both under the
 * hash tag {@code {id}} so that they live in one slot and a Lua script may touch both:
 *
 * <pre>
 * tern:sm:{id}    hash  owner, jid, lease, in (server's h), acked (client's last h), window (ms)
 * tern:sm:{id}:q  list  unacked stanzas, oldest first
 * </pre>
 *
 * <p>A stanza sent costs one script call (RPUSH and two PEXPIREs); an ack trims the list with
 * LTRIM. Every script first checks the lease, so a connection that lost its session cannot write
 * it; {@link #take} reads and deletes both keys in one script, so only one edge gets a session.
 * Redis replicates asynchronously: a master failing over may lose the last writes, and the
 * stream then resumes from slightly older counters or not at all, which XEP-0198 allows; the
 * messages themselves are the router's to keep.
 *
 * <p>Jedis blocks, so commands run on {@code executor}; commands for one id are chained, so they
 * reach Redis in the order they were called.
 */
public final class RedisResumptionStore implements ResumptionStore {

  private static final String PREFIX = "tern:sm:";

  /** Ends a script unless {@code ARGV[1]} is the lease that holds the session. */
  private static final String HELD =
      "if redis.call('HGET', KEYS[1], 'lease') ~= ARGV[1] then return 0 end\n";

  /** Live expiry: the resume window plus the grace in {@code ARGV[2]}. */
  private static final String LIVE_TTL =
      "local ttl = tonumber(redis.call('HGET', KEYS[1], 'window')) + tonumber(ARGV[2])\n"
          + "redis.call('PEXPIRE', KEYS[1], ttl)\n"
          + "redis.call('PEXPIRE', KEYS[2], ttl)\n";

  /** ARGV: lease, owner, jid, in, acked, window, grace, carbons, presence, stanza… */
  private static final Script SAVE = new Script(
      "local cur = redis.call('HGET', KEYS[1], 'lease')\n"
          + "if cur and cur ~= ARGV[1] then return 0 end\n"
          + "redis.call('DEL', KEYS[1], KEYS[2])\n"
          + "redis.call('HSET', KEYS[1], 'lease', ARGV[1], 'owner', ARGV[2], 'jid', ARGV[3],"
          + " 'in', ARGV[4], 'acked', ARGV[5], 'window', ARGV[6], 'carbons', ARGV[8],"
          + " 'presence', ARGV[9])\n"
          + "for i = 10, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end\n"
          + "local ttl = tonumber(ARGV[6]) + tonumber(ARGV[7])\n"
          + "redis.call('PEXPIRE', KEYS[1], ttl)\n"
          + "redis.call('PEXPIRE', KEYS[2], ttl)\n"
          + "return 1\n");

  /**
   * ARGV: owner. Returns nil, or {jid, in, acked, window, {stanza…}, carbons, presence} having
   * deleted both keys (carbons and presence: "" in state saved before they were kept).
   */
  private static final Script TAKE = new Script(
      "local f = redis.call('HMGET', KEYS[1], 'owner', 'jid', 'in', 'acked', 'window',"
          + " 'carbons', 'presence')\n"
          + "if f[1] ~= ARGV[1] then return false end\n"
          + "local q = redis.call('LRANGE', KEYS[2], 0, -1)\n"
          + "redis.call('DEL', KEYS[1], KEYS[2])\n"
          + "return {f[2], f[3], f[4], f[5], q, f[6] or '', f[7] or ''}\n");

  /** ARGV: lease, grace, carbons, presence. */
  private static final Script SESSION_STATE = new Script(HELD
      + "redis.call('HSET', KEYS[1], 'carbons', ARGV[3], 'presence', ARGV[4])\n"
      + LIVE_TTL
      + "return 1\n");

  /** ARGV: lease, grace, stanza. */
  private static final Script APPEND = new Script(HELD
      + "redis.call('RPUSH', KEYS[2], ARGV[3])\n"
      + LIVE_TTL
      + "return 1\n");

  /** ARGV: lease, grace, h. XEP-0198 §4: h counts modulo 2^32. */
  private static final Script ACK = new Script(HELD
      + "local acked = tonumber(redis.call('HGET', KEYS[1], 'acked'))\n"
      + "local forward = (tonumber(ARGV[3]) - acked) % 4294967296\n"
      + "if forward < 2147483648 then\n"
      + "  if forward > 0 then redis.call('LTRIM', KEYS[2], forward, -1) end\n"
      + "  redis.call('HSET', KEYS[1], 'acked', ARGV[3])\n"
      + "end\n"
      + LIVE_TTL
      + "return 1\n");

  /** ARGV: lease, grace, in. */
  private static final Script HANDLED = new Script(HELD
      + "redis.call('HSET', KEYS[1], 'in', ARGV[3])\n"
      + LIVE_TTL
      + "return 1\n");

  /** ARGV: lease, grace. */
  private static final Script REFRESH = new Script(HELD + LIVE_TTL + "return 1\n");

  /** ARGV: lease. */
  private static final Script DETACH = new Script(HELD
      + "redis.call('HSET', KEYS[1], 'lease', '')\n"
      + "redis.call('HDEL', KEYS[1], 'finishing')\n"
      + "local window = redis.call('HGET', KEYS[1], 'window')\n"
      + "redis.call('PEXPIRE', KEYS[1], window)\n"
      + "redis.call('PEXPIRE', KEYS[2], window)\n"
      + "return 1\n");

  /** ARGV: lease. */
  private static final Script FINISHING = new Script(HELD
      + "redis.call('HSET', KEYS[1], 'finishing', '1')\n"
      + "return 1\n");

  /** No ARGV: 1 while the holder is finishing. */
  private static final Script IS_FINISHING = new Script(
      "if redis.call('HGET', KEYS[1], 'finishing') == '1' then return 1 end\n"
          + "return 0\n");

  /** ARGV: lease. */
  private static final Script REMOVE = new Script(HELD
      + "redis.call('DEL', KEYS[1], KEYS[2])\n"
      + "return 1\n");

  private final RedisClusterClient redis;
  private final String grace;
  private final Executor executor;
  private final ConcurrentMap<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

  /**
   * @param redis the directory's cluster client ({@code GlobalDirectory.redis()})
   * @param liveGrace how much longer than its resume window a live session lasts after its last
   *     write: at least the interval at which the edge {@link #refresh}es quiet sessions
   * @param executor where the blocking Jedis calls run
   */
  public RedisResumptionStore(RedisClusterClient redis, Duration liveGrace, Executor executor) {
    this.redis = requireNonNull(redis, "redis");
    requireNonNull(liveGrace, "liveGrace");
    this.executor = requireNonNull(executor, "executor");
    if (liveGrace.isNegative()) {
      throw new IllegalArgumentException("liveGrace must not be negative");
    }
    this.grace = Long.toString(liveGrace.toMillis());
  }

  /** The key of a session's hash; its unacked list is this plus {@code :q}. */
  public static String key(String id) {
    return PREFIX + "{" + id + "}";
  }

  @Override
  public CompletionStage<Void> save(ResumableSession s) {
    requireNonNull(s, "session");
    List<String> args = new ArrayList<>(9 + s.unacked().size());
    args.add(s.lease());
    args.add(s.ownerBareJid());
    args.add(s.fullJid());
    args.add(Long.toString(s.inboundHandled()));
    args.add(Long.toString(s.outboundAcked()));
    args.add(Long.toString(Math.max(1, s.resumeWindow().toMillis())));
    args.add(grace);
    args.add(s.carbons() ? "1" : "0");
    args.add(s.presence());
    args.addAll(s.unacked());
    return inOrder(s.id(), () -> {
      if (!isOne(run(SAVE, s.id(), args))) {
        throw new IllegalStateException("session " + s.id() + " is held by another connection");
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Optional<ResumableSession>> take(String id, String ownerBareJid) {
    requireNonNull(id, "id");
    requireNonNull(ownerBareJid, "ownerBareJid");
    try {
      ResumableSession.checkId(id);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(Optional.empty()); // a previd we never issued
    }
    return inOrder(id, () -> {
      Object reply = run(TAKE, id, List.of(ownerBareJid));
      if (!(reply instanceof List<?> fields)) {
        return Optional.<ResumableSession>empty();
      }
      List<String> unacked = new ArrayList<>();
      for (Object stanza : (List<?>) fields.get(4)) {
        unacked.add(string(stanza));
      }
      return Optional.of(new ResumableSession(id, ownerBareJid, string(fields.get(0)),
          ResumableSession.newLease(), Long.parseLong(string(fields.get(1))),
          Long.parseLong(string(fields.get(2))), unacked,
          Duration.ofMillis(Long.parseLong(string(fields.get(3)))),
          "1".equals(string(fields.get(5))), string(fields.get(6))));
    });
  }

  @Override
  public CompletionStage<Boolean> appendUnacked(String id, String lease, String stanzaXml) {
    requireNonNull(stanzaXml, "stanzaXml");
    return write(APPEND, id, lease, List.of(lease, grace, stanzaXml));
  }

  @Override
  public CompletionStage<Boolean> ack(String id, String lease, long h) {
    ResumableSession.checkH(h, "h");
    return write(ACK, id, lease, List.of(lease, grace, Long.toString(h)));
  }

  @Override
  public CompletionStage<Boolean> handled(String id, String lease, long inboundHandled) {
    ResumableSession.checkH(inboundHandled, "inboundHandled");
    return write(HANDLED, id, lease, List.of(lease, grace, Long.toString(inboundHandled)));
  }

  @Override
  public CompletionStage<Boolean> sessionState(String id, String lease, boolean carbons,
      String presence) {
    requireNonNull(presence, "presence");
    return write(SESSION_STATE, id, lease, List.of(lease, grace, carbons ? "1" : "0", presence));
  }

  @Override
  public CompletionStage<Boolean> refresh(String id, String lease) {
    return write(REFRESH, id, lease, List.of(lease, grace));
  }

  @Override
  public CompletionStage<Boolean> detach(String id, String lease) {
    return write(DETACH, id, lease, List.of(lease));
  }

  @Override
  public CompletionStage<Boolean> finishing(String id, String lease) {
    return write(FINISHING, id, lease, List.of(lease));
  }

  @Override
  public CompletionStage<Boolean> isFinishing(String id) {
    requireNonNull(id, "id");
    return inOrder(id, () -> isOne(run(IS_FINISHING, id, List.of())));
  }

  @Override
  public CompletionStage<Void> remove(String id, String lease) {
    return write(REMOVE, id, lease, List.of(lease)).thenApply(held -> null);
  }

  private CompletionStage<Boolean> write(Script script, String id, String lease,
      List<String> args) {
    requireNonNull(id, "id");
    requireNonNull(lease, "lease");
    if (lease.isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    return inOrder(id, () -> isOne(run(script, id, args)));
  }

  /** Runs {@code command} after every earlier command for {@code id} has finished. */
  private <T> CompletionStage<T> inOrder(String id, Supplier<T> command) {
    List<CompletableFuture<T>> created = new ArrayList<>(1);
    tails.compute(id, (key, tail) -> {
      CompletableFuture<@Nullable Object> after = tail == null
          ? CompletableFuture.completedFuture(null) : tail.handle((r, e) -> null);
      CompletableFuture<T> next = after.thenApplyAsync(ignored -> command.get(), executor);
      created.add(next);
      return next;
    });
    CompletableFuture<T> next = created.get(0);
    next.whenComplete((r, e) -> tails.remove(id, next));
    return next.minimalCompletionStage();
  }

  private @Nullable Object run(Script script, String id, List<String> args) {
    List<String> keys = List.of(key(id), key(id) + ":q");
    try {
      return redis.evalsha(script.sha, keys, args);
    } catch (JedisNoScriptException e) {
      return redis.eval(script.source, keys, args); // loads it into that node's script cache
    }
  }

  private static boolean isOne(@Nullable Object reply) {
    return reply instanceof Long n && n == 1L;
  }

  private static String string(@Nullable Object reply) {
    if (reply instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (reply instanceof String s) {
      return s;
    }
    throw new IllegalStateException("unexpected reply from Redis: " + reply);
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
