package dev.tern.routing;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The NATS wire between edges and routers for 1:1 messages: subjects and header names. A
 * message travels as its stanza's XML in the payload, with its addressing in headers and, from
 * wire version 1, what the edge read in it ({@link MessageFacts}), so no router parses it again.
 * How versions live side by side is in the package's documentation.
 */
public final class MessageWire {

  public static final String FROM = "Tern-From";
  public static final String TO = "Tern-To";
  public static final String ORIGIN_ID = "Tern-Origin-Id";
  /**
   * The wire version of the sender of a request on {@link #send} ({@link #WIRE_VERSION}); a
   * sender of version 1 states {@link #CLIENT_ID} and {@link #ACKS} (absent: none).
   */
  public static final String WIRE = "Tern-Wire";
  /** The version this side speaks. */
  public static final String WIRE_VERSION = "1";
  /** The stanza's {@code id} attribute, form-encoded ({@link MessageFacts}). */
  public static final String CLIENT_ID = "Tern-Client-Id";
  /** The receipts and markers the stanza carries, one value each ({@link MessageFacts}). */
  public static final String ACKS = "Tern-Acks";
  public static final String STANZA_ID = "Tern-Stanza-Id";
  public static final String CHAT = "Tern-Chat";
  public static final String SEQ = "Tern-Seq";
  public static final String STORED_AT = "Tern-Stored-At";
  public static final String USER = "Tern-User";
  public static final String ERROR = "Tern-Error";
  /** On a user subject: absent for a stored message, {@link #KIND_STANZA} for a passing stanza. */
  public static final String KIND = "Tern-Kind";
  public static final String KIND_STANZA = "stanza";

  private MessageWire() {}

  /** Edge → any router of the region: persist this message (request/reply). */
  public static String send(String region) {
    return RouterSubjects.prefix(region) + "message";
  }

  /**
   * The request an edge makes on {@link #send} to have a message of {@code fromFull} to
   * {@code toBare} stored: the addressing, the origin-id (XEP-0359) and {@code facts} in
   * headers, with {@link #WIRE}; the stanza as payload.
   */
  public static NatsMessage sendRequest(String region, String fromFull, String toBare,
      Optional<String> originId, MessageFacts facts, String stanzaXml) {
    Headers h = new Headers().add(WIRE, WIRE_VERSION).add(FROM, WireText.encode(fromFull))
        .add(TO, WireText.encode(toBare));
    originId.ifPresent(o -> h.add(ORIGIN_ID, WireText.encode(o)));
    facts.addTo(h);
    return NatsMessage.builder().subject(send(region)).headers(h)
        .data(stanzaXml.getBytes(StandardCharsets.UTF_8)).build();
  }

  /**
   * Router → the router named {@code routerName}, in any region: persist this message of a chat
   * it sequences (request/reply; the same headers and payload as {@link #send}).
   */
  public static String owner(String routerName) {
    if (!routerName.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("not a router name: " + routerName);
    }
    return "tern.chats.owner." + routerName;
  }

  /**
   * Router → every router: a router of {@code region} is up and keeps its chat leases (published
   * every quarter of a lease); {@code tern.chats.alive.*} hears every region.
   */
  public static String alive(String region) {
    RouterSubjects.prefix(region);
    return "tern.chats.alive." + region;
  }

  /** Every region's {@link #alive} subject. */
  public static final String ALIVE_ANY = "tern.chats.alive.*";

  /** The region named by an {@link #alive} subject. */
  public static String aliveRegion(String subject) {
    return subject.substring("tern.chats.alive.".length());
  }

  /** Edge → any router of the region: what waits in a user's unread queue (request/reply). */
  public static String unread(String region) {
    return RouterSubjects.prefix(region) + "unread";
  }

  /** Edge → any router of the region: a device acknowledged a message (fire and forget). */
  public static String delivered(String region) {
    return RouterSubjects.prefix(region) + "delivered";
  }

  /**
   * A stanza for {@code toJid}'s sessions that is stored nowhere (presence, roster and blocklist
   * pushes, carbons, IQs between users): to that resource only for a full JID, else to every
   * session of the user. Edges that hold none of those sessions ignore it; one that passed it
   * on answers a request for it with an empty reply, so a sender can tell "nobody took it".
   *
   * @throws IllegalArgumentException if {@code toJid} is not a JID (RFC 7622)
   */
  public static NatsMessage stanza(String toJid, String stanzaXml) {
    Jid to;
    try {
      to = Jid.parse(toJid);
    } catch (JidMalformedException e) {
      throw new IllegalArgumentException("not a JID: " + e.getMessage(), e);
    }
    return NatsMessage.builder().subject(user(to.bare().toString()))
        .headers(new Headers().add(KIND, KIND_STANZA).add(TO, WireText.encode(to.toString())))
        .data(stanzaXml.getBytes(StandardCharsets.UTF_8)).build();
  }

  /**
   * Router → the edges holding a user's sessions, in any region: the edges subscribe while the
   * user has a session there, so NATS interest (and the supercluster's gateways) route it.
   */
  public static String user(String bareJid) {
    StringBuilder sb = new StringBuilder("tern.user.");
    for (byte b : bareJid.getBytes(StandardCharsets.UTF_8)) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }
}
