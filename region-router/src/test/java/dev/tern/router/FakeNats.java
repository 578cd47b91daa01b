package dev.tern.router;

import dev.tern.routing.RouterSubjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A NATS {@link Connection} and {@link Dispatcher} without a server, for tests of the router's
 * parts: records what is published and requested, keeps the handlers subscribed by subject, and
 * lets a test send them a request and read the reply. Requests are answered with an empty reply
 * (an edge took the message) unless {@link #noEdgeAnswers()}.
 */
final class FakeNats {

  /** A {@code requestWithTimeout} the code under test made, and how it was answered. */
  record Request(Message message, Duration timeout, CompletableFuture<Message> reply) {}

  private final List<Message> published = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Message> outgoing = new CopyOnWriteArrayList<>();
  private final Map<String, MessageHandler> handlers = new ConcurrentHashMap<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inboxes = new AtomicInteger();
  private volatile Consumer<Message> beforePublish = m -> {};
  private volatile boolean edgesAnswer = true;
  private final Map<String, java.util.function.Function<Message, Message>> responders =
      new ConcurrentHashMap<>();

  private final Connection connection = (Connection) Proxy.newProxyInstance(
      Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
      (proxy, method, args) -> switch (method.getName()) {
        case "publish" -> {
          publish(asMessage(args));
          yield null;
        }
        case "requestWithTimeout" -> {
          if (args.length != 2 || !(args[0] instanceof Message m)
              || !(args[1] instanceof Duration timeout)) {
            throw new UnsupportedOperationException("requestWithTimeout with " + args.length
                + " args");
          }
          yield request(m, timeout);
        }
        case "close" -> null;
        case "toString" -> "FakeNats connection";
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new UnsupportedOperationException(method.getName());
      });

  private final Dispatcher dispatcher = (Dispatcher) Proxy.newProxyInstance(
      Dispatcher.class.getClassLoader(), new Class<?>[] {Dispatcher.class},
      (proxy, method, args) -> {
        if (method.getName().equals("subscribe") && args.length == 3
            && RouterSubjects.QUEUE_GROUP.equals(args[1])) {
          handlers.put((String) args[0], (MessageHandler) args[2]);
          queued.add((String) args[0]);
          return null;
        }
        if (method.getName().equals("subscribe") && args.length == 2) {
          handlers.put((String) args[0], (MessageHandler) args[1]);
          return null;
        }
        return switch (method.getName()) {
          case "toString" -> "FakeNats dispatcher";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        };
      });

  Connection connection() {
    return connection;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  /** From now on, every request fails as when no edge answered it in time. */
  void noEdgeAnswers() {
    edgesAnswer = false;
  }

  /** Requests on {@code subject} are answered with what {@code responder} makes of them. */
  void answer(String subject, java.util.function.Function<Message, Message> responder) {
    responders.put(subject, responder);
  }

  /** Runs {@code check} on each message just before it counts as published. */
  void beforePublish(Consumer<Message> check) {
    beforePublish = check;
  }

  /** Every message published, in order. */
  List<Message> published() {
    return List.copyOf(published);
  }

  /** The messages published on {@code subject}, in order. */
  List<Message> published(String subject) {
    return published.stream().filter(m -> m.getSubject().equals(subject)).toList();
  }

  /** Every request made, in order. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests made on {@code subject}, in order. */
  List<Request> requests(String subject) {
    return requests.stream().filter(r -> r.message().getSubject().equals(subject)).toList();
  }

  /** The subjects of everything published or requested, in the order it left. */
  List<String> outgoingSubjects() {
    return outgoing.stream().map(Message::getSubject).toList();
  }

  /** The subjects subscribed to, in the routers' queue group or not. */
  Set<String> subscribed() {
    return Set.copyOf(handlers.keySet());
  }

  /** The subjects subscribed to in the routers' queue group. */
  Set<String> queueSubscribed() {
    return Set.copyOf(queued);
  }

  /** Hands the handler of {@code subject} a message that wants no reply. */
  void send(String subject, Headers headers, byte[] data) {
    deliver(subject, NatsMessage.builder().subject(subject).headers(headers).data(data).build());
  }

  /**
   * Hands the handler of {@code subject} a request with a fresh reply subject, and returns the
   * reply it published there.
   *
   * @throws AssertionError if the handler did not reply (the router's stores here never wait)
   */
  Message request(String subject, Headers headers, byte[] data) {
    String inbox = "_INBOX.test." + inboxes.incrementAndGet();
    deliver(subject, NatsMessage.builder().subject(subject).replyTo(inbox).headers(headers)
        .data(data).build());
    List<Message> replies = published(inbox);
    if (replies.size() != 1) {
      throw new AssertionError(replies.size() + " replies to a request on " + subject);
    }
    return replies.get(0);
  }

  /**
   * Hands the handler of {@code subject} a request and returns its reply subject, for a reply
   * that comes later ({@link #published(String)}).
   */
  String requestLater(String subject, Headers headers, byte[] data) {
    String inbox = "_INBOX.test." + inboxes.incrementAndGet();
    deliver(subject, NatsMessage.builder().subject(subject).replyTo(inbox).headers(headers)
        .data(data).build());
    return inbox;
  }

  private void deliver(String subject, Message m) {
    MessageHandler handler = handlers.get(subject);
    if (handler == null) {
      throw new AssertionError("nothing subscribed to " + subject);
    }
    try {
      handler.onMessage(m);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void publish(Message m) {
    beforePublish.accept(m);
    published.add(m);
    outgoing.add(m);
  }

  private CompletableFuture<Message> request(Message m, Duration timeout) {
    CompletableFuture<Message> reply = new CompletableFuture<>();
    requests.add(new Request(m, timeout, reply));
    outgoing.add(m);
    var responder = responders.get(m.getSubject());
    if (responder != null) {
      reply.complete(responder.apply(m));
    } else if (edgesAnswer) {
      reply.complete(NatsMessage.builder().subject("_INBOX.edge").data(new byte[0]).build());
    } else {
      reply.completeExceptionally(new TimeoutException("no edge answered in " + timeout));
    }
    return reply;
  }

  private static Message asMessage(Object[] args) {
    if (args.length == 1 && args[0] instanceof Message m) {
      return m;
    }
    if (args.length == 2 && args[0] instanceof String subject && args[1] instanceof byte[] data) {
      return NatsMessage.builder().subject(subject).data(data).build();
    }
    throw new UnsupportedOperationException("publish with " + args.length + " args");
  }
}
