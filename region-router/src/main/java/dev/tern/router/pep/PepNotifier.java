package dev.tern.router.pep;

import static java.util.Objects.requireNonNull;

import dev.tern.routing.pep.PepWire;
import dev.tern.storage.pep.AccessModel;
import dev.tern.storage.pep.NodeConfig;
import dev.tern.storage.pep.PepItem;
import dev.tern.storage.pep.PepStore;
import dev.tern.storage.roster.RosterItem;
import dev.tern.storage.roster.RosterStore;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlNamespaces;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0163 §4.3's notifications. After a change, an event message goes to the owner's bare JID
 * and, unless the node is the owner's alone (whitelist), to each contact with a presence
 * subscription to the owner ({@code from} or {@code both} in the owner's roster), marked for
 * the edges ({@link PepWire#FILTER_NS}): they give it to the available sessions whose entity
 * capabilities ask for {@code <node>+notify} (§4.3.1, filtered notifications). When a session
 * becomes available its edge asks for the last item of each node it wants (§4.3.3,
 * {@link #last}); those go straight to its full JID.
 */
final class PepNotifier implements PepEvents {

  private static final Logger log = LoggerFactory.getLogger(PepNotifier.class);

  private final PepStore store;
  private final RosterStore rosters;
  private final PepAccess access;
  private final BiConsumer<String, String> pass;

  /** @param pass sends a stanza (XML) to a JID's sessions, e.g. as {@code MessageWire.stanza} */
  PepNotifier(PepStore store, RosterStore rosters, PepAccess access,
      BiConsumer<String, String> pass) {
    this.store = requireNonNull(store, "store");
    this.rosters = requireNonNull(rosters, "rosters");
    this.access = requireNonNull(access, "access");
    this.pass = requireNonNull(pass, "pass");
  }

  @Override
  public void published(String owner, String node, NodeConfig config, PepItem item) {
    fanOut(owner, config, Pubsub.element("items", Pubsub.EVENT).attribute("node", node)
        .child(Pep.item(item, Pubsub.EVENT)).build());
  }

  @Override
  public void retracted(String owner, String node, NodeConfig config, String itemId) {
    fanOut(owner, config, Pubsub.element("items", Pubsub.EVENT).attribute("node", node)
        .child(Pubsub.element("retract", Pubsub.EVENT).attribute("id", itemId).build()).build());
  }

  @Override
  public void purged(String owner, String node, NodeConfig config) {
    fanOut(owner, config, Pubsub.element("purge", Pubsub.EVENT).attribute("node", node).build());
  }

  @Override
  public void deleted(String owner, String node, NodeConfig config) {
    fanOut(owner, config, Pubsub.element("delete", Pubsub.EVENT).attribute("node", node).build());
  }

  private void fanOut(String owner, NodeConfig config, XmlElement what) {
    CompletionStage<List<RosterItem>> contacts = config.access() == AccessModel.WHITELIST
        ? CompletableFuture.completedFuture(List.of()) : rosters.items(owner);
    contacts.whenComplete((items, error) -> {
      if (error != null) {
        log.warn("PEP notifications of {} to contacts not sent", owner, error);
        items = List.of();
      }
      List<String> to = new ArrayList<>();
      to.add(owner);
      for (RosterItem item : items) {
        if (item.subscription().hasFrom() && !item.contact().equals(owner)) {
          to.add(item.contact());
        }
      }
      for (String jid : to) {
        send(jid, event(owner, jid, what, true));
      }
    });
  }

  /**
   * §4.3.3: the last item of each of {@code nodes} that {@code subscriberFull} may read, from its
   * own service and those of the contacts whose presence it receives, passed to that session.
   */
  CompletionStage<Void> last(String subscriberFull, String subscriber, Collection<String> nodes) {
    Set<String> wanted = Set.copyOf(nodes);
    if (wanted.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return rosters.items(subscriber).thenCompose(items -> {
      List<String> owners = new ArrayList<>();
      owners.add(subscriber);
      for (RosterItem item : items) {
        if (item.subscription().hasTo() && !item.contact().equals(subscriber)) {
          owners.add(item.contact());
        }
      }
      CompletionStage<Void> all = CompletableFuture.completedFuture(null);
      for (String owner : owners) {
        all = all.thenCompose(v -> lastOf(owner, subscriberFull, subscriber, wanted)
            .exceptionally(e -> {
              log.debug("last PEP items of {} for {} not sent: {}", owner, subscriberFull,
                  e.toString());
              return null;
            }));
      }
      return all;
    });
  }

  private CompletionStage<Void> lastOf(String owner, String subscriberFull, String subscriber,
      Set<String> wanted) {
    return store.nodes(owner).thenCompose(nodes -> {
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (var node : nodes.entrySet()) {
        if (!wanted.contains(node.getKey())) {
          continue;
        }
        chain = chain.thenCompose(v -> access.mayRead(node.getValue(), owner, subscriber))
            .thenCompose(v -> store.items(owner, node.getKey(), 1))
            .thenAccept(last -> last.forEach(item -> send(subscriberFull, event(owner,
                subscriberFull, Pubsub.element("items", Pubsub.EVENT)
                    .attribute("node", node.getKey()).child(Pep.item(item, Pubsub.EVENT))
                    .build(), false))));
      }
      return chain;
    });
  }

  /** XEP-0163 §4.3.1, Example 3: a headline from the owner's bare JID. */
  private static XmlElement event(String owner, String to, XmlElement what, boolean filtered) {
    XmlElement.Builder message = XmlElement.builder("message", XmlNamespaces.CLIENT)
        .attribute("type", "headline").attribute("from", owner).attribute("to", to)
        .attribute("id", UUID.randomUUID().toString())
        .child(Pubsub.element("event", Pubsub.EVENT).child(what).build());
    if (filtered) {
      message.child(XmlElement.builder("filter", PepWire.FILTER_NS).build());
    }
    return message.build();
  }

  private void send(String to, XmlElement stanza) {
    try {
      pass.accept(to, Xml.serialize(stanza));
    } catch (IllegalArgumentException e) { // a stored contact that is no JID
      log.warn("PEP notification for {} not passed: {}", to, e.getMessage());
    }
  }
}
