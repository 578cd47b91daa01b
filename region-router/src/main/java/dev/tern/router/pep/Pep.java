package dev.tern.router.pep;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.pep.NodeConfig;
import dev.tern.storage.pep.PepItem;
import dev.tern.storage.pep.PepStore;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0060 as XEP-0163 profiles it, for one account's service at its bare JID: the owner
 * publishes (auto-creating the node, XEP-0163 §4.3.2, with publish-options, XEP-0060 §7.1.5),
 * retracts, creates, configures and deletes nodes; the owner and, as the node's access model
 * allows (§4.5), other users retrieve items. A refusal fails the stage with a
 * {@link PepRefused} holding the stanza error.
 */
final class Pep {

  /**
   * The most nodes one account has: clients use a handful (OMEMO, avatar, nickname, bookmarks);
   * the nodes are read whole when a contact of the owner comes online.
   */
  static final int MAX_NODES = 256;

  private final PepStore store;
  private final PepAccess access;
  private final Clock clock;
  private final PepEvents events;

  Pep(PepStore store, PepAccess access, Clock clock, PepEvents events) {
    this.store = requireNonNull(store, "store");
    this.access = requireNonNull(access, "access");
    this.clock = requireNonNull(clock, "clock");
    this.events = requireNonNull(events, "events");
  }

  /**
   * Answers {@code pubsub}, the child of an IQ of {@code type} from {@code requester} to
   * {@code owner}'s service; the stage holds the result's child, if any.
   */
  CompletionStage<Optional<XmlElement>> handle(Jid requester, String owner, String type,
      XmlElement pubsub) {
    try {
      return dispatch(requester.bare().toString(), owner, type, pubsub);
    } catch (PepRefused e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletionStage<Optional<XmlElement>> dispatch(String requester, String owner,
      String type, XmlElement pubsub) {
    boolean own = requester.equals(owner);
    if (pubsub.name().equals("query") && pubsub.namespace().equals(Pubsub.DISCO_INFO)) {
      if (!type.equals("get")) {
        throw PepRefused.of("bad-request", "modify");
      }
      return nodeInfo(requester, owner, pubsub);
    }
    if (pubsub.name().equals("query") && pubsub.namespace().equals(Pubsub.DISCO_ITEMS)) {
      if (!type.equals("get")) {
        throw PepRefused.of("bad-request", "modify");
      }
      return pubsub.attribute("node").isPresent() ? itemIds(requester, owner, pubsub)
          : nodes(requester, owner);
    }
    if (pubsub.namespace().equals(Pubsub.OWNER)) {
      List<XmlElement> ops = pubsub.elements();
      if (ops.size() != 1) {
        throw PepRefused.of("bad-request", "modify");
      }
      XmlElement op = ops.get(0);
      if (!own) {
        throw PepRefused.of("forbidden", "auth"); // XEP-0060 §8: only the owner
      }
      return switch (op.name()) {
        case "configure" -> type.equals("get") ? configuration(owner, op)
            : configure(owner, op);
        case "delete" -> set(type, () -> delete(owner, op));
        case "purge" -> set(type, () -> purge(owner, op));
        default -> throw PepRefused.of("feature-not-implemented", "cancel");
      };
    }
    if (!pubsub.namespace().equals(Pubsub.NS) || !pubsub.name().equals("pubsub")) {
      throw PepRefused.of("bad-request", "modify");
    }
    Optional<XmlElement> options = pubsub.child("publish-options", Pubsub.NS);
    Optional<XmlElement> configure = pubsub.child("configure", Pubsub.NS);
    List<XmlElement> ops = pubsub.elements().stream()
        .filter(e -> !e.name().equals("publish-options") && !e.name().equals("configure"))
        .toList();
    if (ops.size() != 1) {
      throw PepRefused.of("bad-request", "modify");
    }
    XmlElement op = ops.get(0);
    if (op.name().equals("items")) {
      if (!type.equals("get")) {
        throw PepRefused.of("bad-request", "modify");
      }
      return items(requester, owner, op);
    }
    if (!own && (op.name().equals("publish") || op.name().equals("retract")
        || op.name().equals("create"))) {
      throw PepRefused.of("forbidden", "auth"); // §7.1.3.1: only the owner publishes
    }
    return switch (op.name()) {
      case "publish" -> set(type, () -> publish(owner, op, options));
      case "retract" -> set(type, () -> retract(owner, op));
      case "create" -> set(type, () -> create(owner, op, configure));
      default -> throw PepRefused.of("feature-not-implemented", "cancel");
    };
  }

  private static CompletionStage<Optional<XmlElement>> set(String type,
      java.util.function.Supplier<CompletionStage<Optional<XmlElement>>> op) {
    if (!type.equals("set")) {
      throw PepRefused.of("bad-request", "modify");
    }
    return op.get();
  }

  private static String node(XmlElement op) {
    return op.attribute("node").filter(n -> !n.isEmpty() && !n.contains("\n"))
        .orElseThrow(() -> PepRefused.badRequest("nodeid-required"));
  }

  // ---- publish (XEP-0060 §7.1, XEP-0163 §4.3) ----

  private CompletionStage<Optional<XmlElement>> publish(String owner, XmlElement op,
      Optional<XmlElement> optionsElement) {
    String node = node(op);
    List<XmlElement> items = op.elements().stream().filter(e -> e.name().equals("item")).toList();
    if (items.isEmpty()) {
      throw PepRefused.badRequest("item-required"); // §7.1.3.6
    }
    if (items.size() > 1) {
      throw PepRefused.badRequest("invalid-payload");
    }
    XmlElement item = items.get(0);
    if (item.elements().isEmpty()) {
      throw PepRefused.badRequest("payload-required"); // §7.1.3.6
    }
    if (item.elements().size() > 1) {
      throw PepRefused.badRequest("invalid-payload"); // §7.1.3.5
    }
    String id = item.attribute("id").filter(s -> !s.isEmpty())
        .orElseGet(() -> UUID.randomUUID().toString());
    Map<String, String> options = optionsElement
        .flatMap(o -> o.child("x", Pubsub.DATA)).map(NodeOptions::fields).orElse(Map.of());
    String payload = Xml.serialize(item.elements().get(0));
    return store.node(owner, node).thenCompose(existing -> {
      NodeConfig config;
      CompletionStage<Void> ready;
      if (existing.isPresent()) {
        // §7.1.5: the options are preconditions an existing node must meet
        config = existing.get();
        if (!NodeOptions.apply(config, options).equals(Optional.of(config))) {
          throw PepRefused.of("conflict", "cancel", "precondition-not-met");
        }
        ready = CompletableFuture.completedFuture(null);
      } else {
        // XEP-0163 §4.3.2: auto-create, configured by the options
        config = NodeOptions.apply(NodeConfig.DEFAULT, options).orElseThrow(
            () -> PepRefused.of("conflict", "cancel", "precondition-not-met"));
        ready = createNode(owner, node, config);
      }
      // Newest first is by publication time: a later publish is stamped after the newest item,
      // even within one millisecond or under a clock that stepped back.
      PepItem[] published = new PepItem[1];
      return ready.thenCompose(v -> store.items(owner, node, 1))
          .thenCompose(newest -> {
            Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (!newest.isEmpty() && !at.isAfter(newest.get(0).published())) {
              at = newest.get(0).published().plusMillis(1);
            }
            published[0] = new PepItem(id, payload, at);
            return store.publish(owner, node, published[0]);
          })
          .thenApply(v -> {
            events.published(owner, node, config, published[0]);
            return Optional.of(Pubsub.element("pubsub", Pubsub.NS)
                .child(Pubsub.element("publish", Pubsub.NS).attribute("node", node)
                    .child(Pubsub.element("item", Pubsub.NS).attribute("id", id).build())
                    .build())
                .build());
          });
    });
  }

  /** A new node, unless the owner has {@link #MAX_NODES} already. */
  private CompletionStage<Void> createNode(String owner, String node, NodeConfig config) {
    return store.nodes(owner).thenCompose(nodes -> {
      if (nodes.size() >= MAX_NODES) {
        throw PepRefused.of("not-allowed", "cancel", "max-nodes-exceeded");
      }
      return store.configure(owner, node, config);
    });
  }

  // ---- items (XEP-0060 §6.5) ----

  private CompletionStage<Optional<XmlElement>> items(String requester, String owner,
      XmlElement op) {
    String node = node(op);
    List<String> ids = op.elements().stream().filter(e -> e.name().equals("item"))
        .map(e -> e.attribute("id").orElse("")).filter(s -> !s.isEmpty()).toList();
    int max = op.attribute("max_items").map(Pep::positive).orElse(NodeConfig.MAX_ITEMS);
    return store.node(owner, node).thenCompose(config -> {
      if (config.isEmpty()) {
        throw PepRefused.itemNotFound(); // §6.5.9.11
      }
      return access.mayRead(config.get(), owner, requester);
    }).thenCompose(v -> ids.isEmpty() ? store.items(owner, node, max)
        : store.items(owner, node, ids))
        .thenApply(found -> {
          XmlElement.Builder items = Pubsub.element("items", Pubsub.NS).attribute("node", node);
          for (PepItem i : found) {
            items.child(item(i, Pubsub.NS));
          }
          return Optional.of(Pubsub.element("pubsub", Pubsub.NS).child(items.build()).build());
        });
  }

  private static int positive(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw PepRefused.of("bad-request", "modify");
  }

  /** An item as a notification or a retrieval carries it, with its payload. */
  static XmlElement item(PepItem item, String namespace) {
    XmlElement.Builder b = Pubsub.element("item", namespace).attribute("id", item.id());
    if (!item.payload().isEmpty()) {
      b.child(Xml.parse(item.payload()));
    }
    return b.build();
  }

  // ---- disco#info of a node (§5.3) ----

  private CompletionStage<Optional<XmlElement>> nodeInfo(String requester, String owner,
      XmlElement query) {
    String node = query.attribute("node").orElseThrow(() -> PepRefused.of("bad-request", "modify"));
    return store.node(owner, node).thenCompose(config -> {
      if (config.isEmpty()) {
        throw PepRefused.itemNotFound();
      }
      return access.mayRead(config.get(), owner, requester);
    }).thenApply(v -> Optional.of(Pubsub.element("query", Pubsub.DISCO_INFO)
        .attribute("node", node)
        .child(Pubsub.element("identity", Pubsub.DISCO_INFO).attribute("category", "pubsub")
            .attribute("type", "leaf").build())
        .child(Pubsub.element("feature", Pubsub.DISCO_INFO).attribute("var", Pubsub.NS).build())
        .build()));
  }

  /** XEP-0060 §5.2: the nodes of the service that {@code requester} may read. */
  private CompletionStage<Optional<XmlElement>> nodes(String requester, String owner) {
    return store.nodes(owner).thenCompose(nodes -> {
      List<Map.Entry<String, NodeConfig>> sorted = nodes.entrySet().stream()
          .sorted(Map.Entry.comparingByKey()).toList();
      List<CompletableFuture<Optional<String>>> readable = sorted.stream()
          .map(e -> access.mayRead(e.getValue(), owner, requester).toCompletableFuture()
              .handle((v, refused) -> refused == null ? Optional.of(e.getKey())
                  : Optional.<String>empty()))
          .toList();
      return CompletableFuture.allOf(readable.toArray(CompletableFuture[]::new))
          .thenApply(v -> {
            XmlElement.Builder query = Pubsub.element("query", Pubsub.DISCO_ITEMS);
            readable.forEach(r -> r.join().ifPresent(node -> query.child(
                Pubsub.element("item", Pubsub.DISCO_ITEMS).attribute("jid", owner)
                    .attribute("node", node).build())));
            return Optional.of(query.build());
          });
    });
  }

  /** XEP-0060 §5.5: the ids of a node's items, for a requester who may read it. */
  private CompletionStage<Optional<XmlElement>> itemIds(String requester, String owner,
      XmlElement query) {
    String node = query.attribute("node").orElseThrow();
    return store.node(owner, node).thenCompose(config -> {
      if (config.isEmpty()) {
        throw PepRefused.itemNotFound();
      }
      return access.mayRead(config.get(), owner, requester);
    }).thenCompose(v -> store.items(owner, node, Integer.MAX_VALUE)).thenApply(items -> {
      XmlElement.Builder out = Pubsub.element("query", Pubsub.DISCO_ITEMS).attribute("node", node);
      items.forEach(i -> out.child(Pubsub.element("item", Pubsub.DISCO_ITEMS)
          .attribute("jid", owner).attribute("name", i.id()).build()));
      return Optional.of(out.build());
    });
  }

  // ---- retract (§7.2) ----

  private CompletionStage<Optional<XmlElement>> retract(String owner, XmlElement op) {
    String node = node(op);
    String id = op.child("item", Pubsub.NS).flatMap(i -> i.attribute("id"))
        .filter(s -> !s.isEmpty()).orElseThrow(() -> PepRefused.badRequest("item-required"));
    boolean notify = op.attribute("notify").map(n -> n.equals("true") || n.equals("1"))
        .orElse(false);
    return store.node(owner, node).thenCompose(config -> {
      if (config.isEmpty()) {
        throw PepRefused.itemNotFound(); // §7.2.3.3
      }
      return store.retract(owner, node, id).thenApply(found -> {
        if (!found) {
          throw PepRefused.itemNotFound(); // §7.2.3.5
        }
        if (notify) {
          events.retracted(owner, node, config.get(), id);
        }
        return Optional.<XmlElement>empty();
      });
    });
  }

  // ---- create (§8.1) ----

  private CompletionStage<Optional<XmlElement>> create(String owner, XmlElement op,
      Optional<XmlElement> configure) {
    String node = node(op);
    Map<String, String> fields = configure.flatMap(c -> c.child("x", Pubsub.DATA))
        .map(NodeOptions::fields).orElse(Map.of());
    NodeConfig config = NodeOptions.apply(NodeConfig.DEFAULT, fields)
        .orElseThrow(() -> PepRefused.of("not-acceptable", "modify"));
    return store.node(owner, node).thenCompose(existing -> {
      if (existing.isPresent()) {
        throw PepRefused.of("conflict", "cancel"); // §8.1.3.4
      }
      return createNode(owner, node, config).thenApply(v -> Optional.empty());
    });
  }

  // ---- owner: configure (§8.2) and delete (§8.4) ----

  private CompletionStage<Optional<XmlElement>> configuration(String owner, XmlElement op) {
    String node = node(op);
    return store.node(owner, node).thenApply(config -> {
      if (config.isEmpty()) {
        throw PepRefused.itemNotFound();
      }
      return Optional.of(Pubsub.element("pubsub", Pubsub.OWNER)
          .child(Pubsub.element("configure", Pubsub.OWNER).attribute("node", node)
              .child(NodeOptions.form(config.get())).build())
          .build());
    });
  }

  private CompletionStage<Optional<XmlElement>> configure(String owner, XmlElement op) {
    String node = node(op);
    Optional<XmlElement> form = op.child("x", Pubsub.DATA);
    if (form.isEmpty()) {
      throw PepRefused.of("bad-request", "modify");
    }
    boolean cancel = form.get().attribute("type").orElse("").equals("cancel");
    return store.node(owner, node).thenCompose(config -> {
      if (config.isEmpty()) {
        throw PepRefused.itemNotFound();
      }
      if (cancel) {
        return CompletableFuture.completedFuture(Optional.<XmlElement>empty());
      }
      NodeConfig changed = NodeOptions.apply(config.get(), NodeOptions.fields(form.get()))
          .orElseThrow(() -> PepRefused.of("not-acceptable", "modify")); // §8.2.5.3
      return store.configure(owner, node, changed).thenApply(v -> Optional.empty());
    });
  }

  /** §8.5: every item goes, the node and its configuration stay; contacts are told. */
  private CompletionStage<Optional<XmlElement>> purge(String owner, XmlElement op) {
    String node = node(op);
    return store.node(owner, node).thenCompose(config -> {
      if (config.isEmpty()) {
        throw PepRefused.itemNotFound(); // §8.5.3.4
      }
      return store.items(owner, node, Integer.MAX_VALUE)
          .thenCompose(items -> CompletableFuture.allOf(items.stream()
              .map(item -> store.retract(owner, node, item.id()).toCompletableFuture())
              .toArray(CompletableFuture[]::new)))
          .thenApply(v -> {
            events.purged(owner, node, config.get());
            return Optional.<XmlElement>empty();
          });
    });
  }

  private CompletionStage<Optional<XmlElement>> delete(String owner, XmlElement op) {
    String node = node(op);
    return store.node(owner, node).thenCompose(config -> store.delete(owner, node)
        .thenApply(found -> {
          if (!found || config.isEmpty()) {
            throw PepRefused.itemNotFound(); // §8.4.3.3
          }
          events.deleted(owner, node, config.get());
          return Optional.empty();
        }));
  }
}
