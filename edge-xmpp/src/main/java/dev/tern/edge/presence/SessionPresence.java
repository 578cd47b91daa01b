package dev.tern.edge.presence;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.iq.IqError;
import dev.tern.edge.roster.EdgeRoster;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.edge.roster.RosterCodec;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlNamespaces;
import dev.tern.routing.roster.RosterWire;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's presence (RFC 6121 §4) and roster interest (§2.2), kept by {@link PresenceSession}.
 *
 * <p>Outbound: broadcast presence and subscription stanzas go to a router of the region, one at
 * a time in the order the client sent them; directed presence passes as-is to its addressee,
 * who is remembered so that unavailable presence follows it there too (§4.6.3). When a session
 * that was available ends, cleanly or not, its unavailable presence is broadcast the same way.
 *
 * <p>Inbound (passing stanzas from NATS): a probe is answered with the session's last available
 * presence to the prober (§4.3.2) and never shown to the client; presence for the user's bare
 * JID reaches only available sessions (§4.2.2, §3.1.3), and roster pushes only interested ones
 * (§2.1.6), addressed to this resource.
 */
final class SessionPresence {

  private static final Logger log = LoggerFactory.getLogger(SessionPresence.class);
  /** The router's instruction "send unavailable presence to 'from'" (never shown to clients). */
  static final String RETRACT_NS = "urn:tern:presence";
  private static final Set<String> SUBSCRIPTION_TYPES =
      Set.of("subscribe", "subscribed", "unsubscribe", "unsubscribed");

  /** What a passing stanza does at this session. */
  record Incoming(Optional<XmlElement> deliver, boolean taken) {
    static final Incoming IGNORED = new Incoming(Optional.empty(), false);
    static final Incoming ANSWERED = new Incoming(Optional.empty(), true);

    static Incoming deliver(XmlElement stanza) {
      return new Incoming(Optional.of(stanza), true);
    }
  }

  /** Where presence goes: the routers (broadcast, subscriptions) and the users' subjects. */
  interface Wire {
    /** A passing stanza to a JID's sessions (see {@code EdgeMessaging.pass}). */
    void pass(String toJid, String xml);

    /** A broadcast presence of {@code fullJid} for a router (see {@code EdgeRoster.presence}). */
    CompletionStage<Void> presence(String fullJid, String op, String xml, String status);

    /** A subscription stanza for a router (see {@code EdgeRoster.subscription}). */
    CompletionStage<Void> subscription(String fromBare, String toBare, String type, String xml);

    static Wire of(EdgeMessaging messaging, EdgeRoster roster) {
      return new Wire() {
        @Override
        public void pass(String toJid, String xml) {
          messaging.pass(toJid, xml);
        }

        @Override
        public CompletionStage<Void> presence(String fullJid, String op, String xml, String status) {
          return roster.presence(fullJid, op, xml, status);
        }

        @Override
        public CompletionStage<Void> subscription(String fromBare, String toBare, String type,
            String xml) {
          return roster.subscription(fromBare, toBare, type, xml);
        }
      };
    }
  }

  private final String domain;
  private final Wire wire;
  /** The last available presence, stamped; null while the session is not available. */
  private volatile @Nullable XmlElement last;
  private volatile boolean interested;
  /** The version of the last roster push delivered per contact (see {@link #newest}); lazily. */
  private @Nullable Map<String, Long> pushed;
  /** Addressees of directed available presence (event loop only); made on the first one. */
  private @Nullable Set<Jid> directed;
  private CompletableFuture<?> chain = DONE;
  /** Where every session's chain starts; each link is a new future, so this one stays as it is. */
  private static final CompletableFuture<?> DONE = CompletableFuture.completedFuture(null);

  SessionPresence(String domain, Wire wire) {
    this.domain = requireNonNull(domain, "domain");
    this.wire = requireNonNull(wire, "wire");
  }

  /** The session asked for the roster: it now receives roster pushes. */
  void interested() {
    interested = true;
  }

  boolean available() {
    return last != null;
  }

  /** The last available presence broadcast, while the session is available. */
  Optional<XmlElement> last() {
    return Optional.ofNullable(last);
  }

  // ---- outbound (on the session's event loop) ----

  /** A presence stanza the client sent, 'from' already stamped with its full JID. */
  void fromClient(Jid self, XmlElement presence) {
    if (presence.elements().stream().anyMatch(e -> e.namespace().equals(RETRACT_NS))) {
      return; // the servers' own instruction is not the client's to send
    }
    String type = presence.attribute("type").orElse("available");
    Optional<Jid> to = presence.attribute("to").flatMap(SessionPresence::parse);
    if (SUBSCRIPTION_TYPES.contains(type)) {
      if (to.isPresent() && isUser(to.get()) && !to.get().bare().equals(self.bare())) {
        subscription(self, to.get().bare(), type, presence);
      }
      return;
    }
    if (type.equals("probe")) {
      return; // probes are the server's business (§4.3)
    }
    if (to.isPresent()) {
      directed(self, to.get(), type, presence);
      return;
    }
    if (type.equals("available")) {
      boolean initial = last == null;
      last = presence;
      broadcast(self, initial ? RosterWire.INITIAL : RosterWire.AVAILABLE, presence, "");
    } else if (type.equals("unavailable") && last != null) {
      unavailable(self, presence);
    }
  }

  /** §3.1.2: the user's server stamps the bare JID on subscription stanzas. */
  private void subscription(Jid self, Jid contact, String type, XmlElement presence) {
    XmlElement stamped = presence.toBuilder().attribute("from", self.bare().toString())
        .attribute("to", contact.toString()).build();
    String xml = Xml.serialize(stamped);
    then(() -> wire.subscription(self.bare().toString(), contact.toString(), type, xml),
        type + " from " + self.bare());
  }

  /** §4.6: directed presence passes as it is; unavailable presence will follow it. */
  private void directed(Jid self, Jid to, String type, XmlElement presence) {
    if (to.local().isEmpty() || !to.domain().equals(domain)) {
      return; // no other domains are reachable, and the server needs no presence
    }
    if (type.equals("available")) {
      if (directed == null) {
        directed = new LinkedHashSet<>();
      }
      directed.add(to);
    } else if (type.equals("unavailable") && directed != null) {
      directed.remove(to);
    }
    wire.pass(to.toString(), Xml.serialize(presence));
  }

  /** The session ends: if it was available, its contacts see it go (§4.5.2, also on a drop). */
  void ended(Jid self) {
    if (last != null) {
      unavailable(self, XmlElement.builder("presence", XmlNamespaces.CLIENT)
          .attribute("type", "unavailable").attribute("from", self.toString()).build());
    }
  }

  private void unavailable(Jid self, XmlElement presence) {
    last = null;
    String status = presence.child("status", XmlNamespaces.CLIENT).map(XmlElement::text).orElse("");
    broadcast(self, RosterWire.UNAVAILABLE, presence, status);
    Set<Jid> addressees = directed;
    directed = null;
    for (Jid to : addressees == null ? Set.<Jid>of() : addressees) {
      wire.pass(to.toString(),
          Xml.serialize(presence.toBuilder().attribute("to", to.toString()).build()));
    }
  }

  private void broadcast(Jid self, String op, XmlElement presence, String status) {
    String xml = Xml.serialize(presence);
    then(() -> wire.presence(self.toString(), op, xml, status),
        op + " presence of " + self);
  }

  /** One router request at a time per session, so contacts see its presence in order. */
  private void then(java.util.function.Supplier<CompletionStage<?>> call,
      String what) {
    chain = chain.handle((v, e) -> null)
        .thenCompose(v -> call.get().toCompletableFuture())
        .whenComplete((v, e) -> {
          if (e != null) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null
                ? e.getCause() : e;
            if (cause instanceof IqError refused) {
              log.warn("{} not routed: the router answered {} (its log says why)", what,
                  refused.condition().elementName());
            } else if (cause instanceof CancellationException) {
              log.warn("{} not routed: {}", what, cause.getMessage()); // NATS: no answer in time
            } else {
              log.warn("{} not routed", what, e);
            }
          }
        });
  }

  // ---- inbound (from NATS threads) ----

  /** What a stanza passing to {@code self} (addressed {@code toJid}) does here. */
  Incoming incoming(Jid self, String toJid, XmlElement stanza) {
    boolean toResource = toJid.contains("/");
    if (stanza.name().equals("presence")) {
      return presence(self, toResource, stanza);
    }
    if (stanza.name().equals("iq") && stanza.attribute("type").orElse("").equals("set")
        && stanza.child("query", RosterCodec.NAMESPACE).isPresent() && !toResource) {
      // §2.1.6: a roster push, for interested resources, each addressed by its full JID
      if (!interested) {
        return Incoming.IGNORED;
      }
      XmlElement.Builder push = stanza.toBuilder().attribute("to", self.toString());
      Optional<XmlElement> order = stanza.child("order", RosterWire.ORDER_NS);
      if (order.isPresent()) {
        if (!newest(stanza, order.get())) {
          return Incoming.IGNORED;
        }
        push.removeChild(order.get());
      }
      return Incoming.deliver(push.build());
    }
    return Incoming.deliver(stanza);
  }

  /**
   * Whether a versioned roster push is newer than the last one delivered for its contact, which
   * it then becomes. Two routers (the two sides of a subscription, in two regions) change the
   * same item one after the other, but their pushes travel apart and may arrive the other way
   * round; delivering the older one last would leave the client with a state the server no
   * longer has.
   */
  private boolean newest(XmlElement push, XmlElement order) {
    Optional<String> contact = push.child("query", RosterCodec.NAMESPACE)
        .flatMap(q -> q.child("item", RosterCodec.NAMESPACE)).flatMap(i -> i.attribute("jid"));
    long version;
    try {
      version = Long.parseLong(order.attribute("version").orElse(""));
    } catch (NumberFormatException e) {
      return true; // not the router's: delivered as it is
    }
    if (contact.isEmpty()) {
      return true;
    }
    synchronized (this) {
      if (pushed == null) {
        pushed = new HashMap<>();
      }
      Long last = pushed.get(contact.get());
      if (last != null && last >= version) {
        return false;
      }
      pushed.put(contact.get(), version);
      return true;
    }
  }

  private Incoming presence(Jid self, boolean toResource, XmlElement stanza) {
    XmlElement current = last;
    String type = stanza.attribute("type").orElse("available");
    Optional<String> from = stanza.attribute("from");
    if (type.equals("probe")) {
      // §4.3.2: answered for each available resource, with its last presence, to the prober
      if (current == null || from.isEmpty()) {
        return Incoming.IGNORED;
      }
      wire.pass(from.get(), Xml.serialize(
          current.toBuilder().attribute("to", from.get()).build()));
      return Incoming.ANSWERED;
    }
    if (stanza.child("retract", RETRACT_NS).isPresent()) {
      if (current == null || from.isEmpty()) {
        return Incoming.IGNORED;
      }
      wire.pass(from.get(), Xml.serialize(
          XmlElement.builder("presence", XmlNamespaces.CLIENT).attribute("type", "unavailable")
              .attribute("from", self.toString()).attribute("to", from.get()).build()));
      return Incoming.ANSWERED;
    }
    if (!toResource && current == null) {
      return Incoming.IGNORED; // only available resources receive presence for the bare JID
    }
    return Incoming.deliver(stanza.attribute("to").isPresent() ? stanza
        : stanza.toBuilder().attribute("to", toResource ? self.toString()
            : self.bare().toString()).build());
  }

  private boolean isUser(Jid jid) {
    return jid.local().isPresent() && jid.domain().equals(domain);
  }

  private static Optional<Jid> parse(String jid) {
    try {
      return Optional.of(Jid.parse(jid));
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }
}
