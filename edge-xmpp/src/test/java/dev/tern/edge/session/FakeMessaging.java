package dev.tern.edge.session;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.routing.MessageFacts;
import dev.tern.routing.Refusal;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * The routers as a session sees them, in memory: every call is recorded, and the test decides
 * when and how each store request completes. Nothing is routed on its own: a test that wants a
 * passing stanza or a stored message to reach a session hands it over with {@link #passTo} or
 * {@link #deliverLive}, as a router's publication would arrive.
 *
 * <p>Not thread-safe: sessions on an {@code EmbeddedChannel} call it on the test's thread, and
 * the test completes what it holds on the same thread.
 */
public final class FakeMessaging implements EdgeMessaging {

  /**
   * A store request a session made ({@link EdgeMessaging#send}); pending until completed. Once
   * completed, what the sessions queued on their event loops has run.
   */
  public static final class Send {
    private final FakeMessaging router;
    private final String from;
    private final String to;
    private final Optional<String> originId;
    private final MessageFacts facts;
    private final String xml;
    private final CompletableFuture<Persisted> result = new CompletableFuture<>();

    private Send(FakeMessaging router, String from, String to, Optional<String> originId,
        MessageFacts facts, String xml) {
      this.router = router;
      this.from = from;
      this.to = to;
      this.originId = originId;
      this.facts = facts;
      this.xml = xml;
    }

    /** The sender's full JID. */
    public String from() {
      return from;
    }

    /** The recipient's bare JID. */
    public String to() {
      return to;
    }

    public Optional<String> originId() {
      return originId;
    }

    /** What the session read in the stanza for the router (its id, the receipts it carries). */
    public MessageFacts facts() {
      return facts;
    }

    /** The message as the session handed it over (stamped with the sender's full JID). */
    public XmlElement stanza() {
      return Xml.parse(xml);
    }

    public boolean pending() {
      return !result.isDone();
    }

    /** A router stored it as {@code seq} of its chat, with XEP-0359 id {@code stanzaId}. */
    public void store(String stanzaId, long seq) {
      result.complete(new Persisted(stanzaId, chat(), seq));
      router.settle.run();
    }

    /** A router refused it (e.g. XEP-0191), naming the stanza error. */
    public void refuse(String condition, String type) {
      result.completeExceptionally(new Refused(Refusal.of(condition, type)));
      router.settle.run();
    }

    /** No router answered (a timeout, a NATS server gone). */
    public void fail() {
      result.completeExceptionally(new IllegalStateException("no router answered (fake)"));
      router.settle.run();
    }

    private String chat() {
      return from.substring(0, from.indexOf('/')) + " " + to;
    }

    @Override
    public String toString() {
      return "send " + xml + (pending() ? " (pending)" : "");
    }
  }

  /** A read of the unread queue ({@link EdgeMessaging#unread}). */
  public record UnreadRead(String bareJid, Optional<Delivery> after) {}

  /** An acknowledged stored message ({@link EdgeMessaging#delivered}). */
  public record Delivered(String bareJid, String chat, long seq) {}

  /** An IQ passed to another user's resource, asking whether a session took it. */
  public record Confirmed(String toJid, String xml) {}

  private record Subscriber(Predicate<Delivery> deliver, Predicate<Passing> pass) {}

  private final List<Send> sends = new ArrayList<>();
  private final List<Passing> passed = new ArrayList<>();
  private final List<Confirmed> confirmed = new ArrayList<>();
  private final List<UnreadRead> unreadReads = new ArrayList<>();
  private final List<Delivered> delivered = new ArrayList<>();
  private final Map<String, List<Delivery>> unread = new HashMap<>();
  private final Map<String, Subscriber> online = new LinkedHashMap<>();
  private final List<Runnable> resubscribed = new ArrayList<>();
  private boolean storeAtOnce = true;
  private boolean resourcesTake = true;
  private Optional<Refused> refusal = Optional.empty();
  private long nextSeq = 1;
  private Runnable settle = () -> {};

  /**
   * What runs after the test completed a store request or handed a stanza over: the sessions'
   * event loops (their completions hop there), so that what follows is on the wire.
   */
  public FakeMessaging settleWith(Runnable settle) {
    this.settle = requireNonNull(settle, "settle");
    return this;
  }

  /**
   * Whether store requests complete as soon as they are made (the default), each with the next
   * sequence number; if not, they stay pending until the test completes them.
   */
  public FakeMessaging storeAtOnce(boolean atOnce) {
    storeAtOnce = atOnce;
    return this;
  }

  /** Whether an IQ passed to another resource is taken by a session there (default yes). */
  public FakeMessaging resourcesTake(boolean take) {
    resourcesTake = take;
    return this;
  }

  /** The block lists refuse every stanza between users with this error (XEP-0191 §3.3). */
  public FakeMessaging refuseBetweenUsers(String condition, String type) {
    refusal = Optional.of(new Refused(Refusal.of(condition, type)));
    return this;
  }

  /** {@code deliveries} wait in {@code bareJid}'s unread queue, oldest first. */
  public FakeMessaging queue(String bareJid, Delivery... deliveries) {
    unread.computeIfAbsent(bareJid, b -> new ArrayList<>()).addAll(List.of(deliveries));
    return this;
  }

  /** The store requests made so far, in order. */
  public List<Send> sends() {
    return List.copyOf(sends);
  }

  /** The last store request. */
  public Send lastSend() {
    if (sends.isEmpty()) {
      throw new AssertionError("no message was sent to a router");
    }
    return sends.get(sends.size() - 1);
  }

  /** Stanzas passed to users' sessions, stored nowhere ({@link EdgeMessaging#pass}), in order. */
  public List<Passing> passed() {
    return List.copyOf(passed);
  }

  /** IQs passed to other users' resources ({@link EdgeMessaging#passConfirmed}), in order. */
  public List<Confirmed> confirmed() {
    return List.copyOf(confirmed);
  }

  public List<UnreadRead> unreadReads() {
    return List.copyOf(unreadReads);
  }

  public List<Delivered> delivered() {
    return List.copyOf(delivered);
  }

  /** Whether a session of {@code bareJid} subscribed to its messages here. */
  public boolean isOnline(String bareJid) {
    return online.containsKey(bareJid);
  }

  /**
   * A router publishes a stored message for {@code bareJid}, as it does to a user online: true
   * if a session here took it.
   */
  public boolean deliverLive(String bareJid, Delivery delivery) {
    Subscriber s = online.get(bareJid);
    boolean taken = s != null && s.deliver().test(delivery);
    settle.run();
    return taken;
  }

  /**
   * A stanza stored nowhere arrives for {@code toJid} (bare or full), as another edge's
   * {@link EdgeMessaging#pass} would publish it: true if a session here took it.
   */
  public boolean passTo(String toJid, String xml) {
    String bare;
    try {
      bare = Jid.parse(toJid).bare().toString();
    } catch (JidMalformedException e) {
      throw new IllegalArgumentException(toJid, e);
    }
    Subscriber s = online.get(bare);
    boolean taken = s != null && s.pass().test(new Passing(toJid, xml));
    settle.run();
    return taken;
  }

  /** The NATS connection came back with its subscriptions. */
  public void resubscribe() {
    resubscribed.forEach(Runnable::run);
  }

  /** A stored message as a router delivers it, {@code offline} when read from the queue. */
  public static Delivery delivery(String stanzaId, String chat, long seq, Instant storedAt,
      String xml, boolean offline) {
    return new Delivery(stanzaId, chat, seq, storedAt, xml, offline);
  }

  @Override
  public CompletionStage<Persisted> send(String fromFull, String toBare, Optional<String> originId,
      MessageFacts facts, String stanzaXml) {
    Send s = new Send(this, fromFull, toBare, originId, requireNonNull(facts, "facts"), stanzaXml);
    sends.add(s);
    if (storeAtOnce) {
      long seq = nextSeq++;
      s.result.complete(new Persisted("stanza-" + seq, s.chat(), seq));
    }
    return s.result;
  }

  @Override
  public CompletionStage<Optional<Refused>> refusal(String fromJid, String toJid) {
    return CompletableFuture.completedFuture(refusal);
  }

  @Override
  public CompletionStage<List<Delivery>> unread(String bareJid, Optional<Delivery> after) {
    unreadReads.add(new UnreadRead(bareJid, after));
    List<Delivery> queue = unread.getOrDefault(bareJid, List.of());
    int from = 0;
    if (after.isPresent()) {
      Delivery a = after.get();
      int at = queue.indexOf(a);
      from = at >= 0 ? at + 1 : (int) queue.stream()
          .takeWhile(d -> !d.storedAt().isAfter(a.storedAt())).count();
    }
    return CompletableFuture.completedFuture(
        List.copyOf(queue.subList(from, Math.min(queue.size(), from + BATCH))));
  }

  @Override
  public void delivered(String bareJid, String chat, long seq) {
    delivered.add(new Delivered(bareJid, chat, seq));
    List<Delivery> queue = unread.get(bareJid);
    if (queue != null) {
      queue.removeIf(d -> d.chat().equals(chat) && d.seq() == seq);
    }
  }

  @Override
  public void pass(String toJid, String stanzaXml) {
    passed.add(new Passing(toJid, stanzaXml));
  }

  @Override
  public CompletionStage<Boolean> passConfirmed(String toJid, String stanzaXml) {
    confirmed.add(new Confirmed(toJid, stanzaXml));
    return CompletableFuture.completedFuture(resourcesTake);
  }

  @Override
  public void online(String bareJid, Predicate<Delivery> deliver, Predicate<Passing> pass) {
    requireNonNull(deliver, "deliver");
    requireNonNull(pass, "pass");
    online.putIfAbsent(bareJid, new Subscriber(deliver, pass));
  }

  @Override
  public void offline(String bareJid) {
    online.remove(bareJid);
  }

  @Override
  public void onResubscribed(Runnable action) {
    resubscribed.add(requireNonNull(action, "action"));
  }

  @Override
  public CompletableFuture<Void> flush() {
    return CompletableFuture.completedFuture(null);
  }
}
