package dev.tern.edge.pep;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.caps.CapsCache;
import dev.tern.edge.caps.EntityCaps;
import dev.tern.edge.presence.PresenceSession;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import dev.tern.routing.pep.PepWire;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlNamespaces;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's part of XEP-0163 §4.3: which nodes it wants notifications of, from the
 * {@code <node>+notify} features of its entity capabilities (XEP-0115; asked of the client
 * with disco#info unless the edge knows its {@code ver}); notifications the routers mark for
 * filtering reach it only while it is available and wants their node; and once available with
 * known capabilities it asks for the last item of the nodes it wants (§4.3.3).
 */
final class PepSession implements SessionModule {

  private static final Logger log = LoggerFactory.getLogger(PepSession.class);
  private static final String NOTIFY = "+notify";
  private static final String EVENT = "http://jabber.org/protocol/pubsub#event";

  private final Session session;
  private final PepClient client;
  private final CapsCache caps;
  /** The nodes this session wants notifications of; read on NATS threads. */
  private volatile Set<String> notify = Set.of();
  // event loop only:
  private boolean available;
  /** Resumed: the last items of the nodes it wanted were sent to the stream it took over. */
  private boolean resumedQuietly;
  private final Set<String> lastAsked = new HashSet<>();
  private @Nullable String queryId;
  private EntityCaps.@Nullable Caps queried;

  PepSession(Session session, PepClient client, CapsCache caps) {
    this.session = requireNonNull(session, "session");
    this.client = requireNonNull(client, "client");
    this.caps = requireNonNull(caps, "caps");
  }

  /** The routers' filtering marker is theirs alone: a client cannot send it. */
  @Override
  public XmlElement filter(XmlElement stanza) {
    Optional<XmlElement> marker = stanza.child("filter", PepWire.FILTER_NS);
    return marker.isEmpty() ? stanza : stanza.toBuilder().removeChild(marker.get()).build();
  }

  @Override
  public @Nullable CompletableFuture<?> inbound(XmlElement stanza) {
    if (stanza.name().equals("presence") && stanza.attribute("to").isEmpty()) {
      String type = stanza.attribute("type").orElse("available");
      if (type.equals("available")) {
        available = true;
        EntityCaps.of(stanza).ifPresent(this::capabilities);
        askLast();
      } else if (type.equals("unavailable")) {
        available = false;
      }
      return null; // the presence module broadcasts it
    }
    if (stanza.name().equals("iq") && queryId != null
        && stanza.attribute("id").orElse("").equals(queryId)) {
      answered(stanza);
      return CompletableFuture.completedFuture(null);
    }
    return null;
  }

  /**
   * XEP-0198 §5: the resumed session is available with the capabilities of its stored presence
   * and gets the notifications it got before (on another edge, its features are asked again);
   * the last items, which the stream it took over had, are not sent again.
   */
  @Override
  public void resumed(String presence) {
    if (presence.isEmpty()) {
      return;
    }
    XmlElement stanza;
    try {
      stanza = Xml.parse(presence);
    } catch (IllegalArgumentException e) {
      return; // the presence module logs it; the client's next presence sets it all
    }
    if (!stanza.attribute("type").orElse("available").equals("available")) {
      return;
    }
    available = true;
    resumedQuietly = true;
    EntityCaps.of(stanza).ifPresent(this::capabilities);
    askLast();
  }

  /** XEP-0115 §6.3: known features at once, else a disco#info query to the client. */
  private void capabilities(EntityCaps.Caps c) {
    Optional<Set<String>> known = c.hash().equals("sha-1") ? caps.features(c.ver())
        : Optional.empty();
    if (known.isPresent()) {
      wants(known.get());
      return;
    }
    if (queried != null && queried.equals(c)) {
      return; // asked already
    }
    queried = c;
    queryId = "pep-caps-" + UUID.randomUUID();
    String bare = session.boundJid().bare().toString();
    session.send(XmlElement.builder("iq", XmlNamespaces.CLIENT).attribute("type", "get")
        .attribute("id", queryId).attribute("from", bare)
        .attribute("to", session.boundJid().toString())
        .child(XmlElement.builder("query", EntityCaps.DISCO_INFO)
            .attribute("node", c.node() + "#" + c.ver()).build())
        .build());
  }

  private void answered(XmlElement iq) {
    EntityCaps.Caps c = queried;
    queryId = null;
    Optional<XmlElement> query = iq.child("query", EntityCaps.DISCO_INFO);
    if (c == null || !iq.attribute("type").orElse("").equals("result") || query.isEmpty()) {
      return;
    }
    Set<String> features = EntityCaps.features(query.get());
    if (c.hash().equals("sha-1") && EntityCaps.sha1Ver(query.get()).equals(c.ver())) {
      caps.put(c.ver(), features); // §5.4: trusted for others only when it hashes to its ver
    }
    wants(features);
    askLast();
  }

  private void wants(Set<String> features) {
    Set<String> nodes = new HashSet<>();
    for (String f : features) {
      if (f.endsWith(NOTIFY) && f.length() > NOTIFY.length()) {
        nodes.add(f.substring(0, f.length() - NOTIFY.length()));
      }
    }
    notify = Set.copyOf(nodes);
    // A node no longer wanted is forgotten: wanted again later (a client that turns its
    // notifications of it back on), its last item is sent again (§4.3.3).
    lastAsked.retainAll(nodes);
  }

  /** §4.3.3: the last items of the nodes wanted and not asked for yet in this session. */
  private void askLast() {
    if (!available) {
      return;
    }
    List<String> fresh = notify.stream().filter(n -> !lastAsked.contains(n)).sorted().toList();
    if (fresh.isEmpty()) {
      return;
    }
    lastAsked.addAll(fresh);
    if (resumedQuietly) {
      resumedQuietly = false; // later changes of its capabilities ask as usual
      return;
    }
    String self = session.boundJid().toString();
    client.last(self, fresh).whenComplete((v, error) -> {
      if (error != null) {
        log.debug("last PEP items for {} not sent: {}", self, error.toString());
      }
    });
  }

  @Override
  public Pass passing(XmlElement stanza, String toJid) {
    Optional<XmlElement> marker = stanza.child("filter", PepWire.FILTER_NS);
    if (!stanza.name().equals("message") || marker.isEmpty()) {
      return Pass.NOT_MINE;
    }
    boolean availableNow = session.module(PresenceSession.class)
        .map(PresenceSession::available).orElse(false);
    Optional<String> node = stanza.child("event", EVENT).flatMap(e -> e.elements().stream()
        .findFirst()).flatMap(e -> e.attribute("node"));
    if (!availableNow || node.isEmpty() || !notify.contains(node.get())) {
      return Pass.REFUSED;
    }
    session.sendFromAnyThread(stanza.toBuilder().removeChild(marker.get())
        .attribute("to", session.boundJid().toString()).build());
    return Pass.TAKEN;
  }
}
