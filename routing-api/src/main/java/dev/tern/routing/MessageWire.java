package dev.tern.routing;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;

/**
 * The NATS wire between edges and routers for 1:1 messages: subjects and header names. A
 * message travels as its stanza's XML in the payload, with its addressing in headers.
 */
public final class MessageWire {

  public static final String FROM = "Tern-From";
  public static final String TO = "Tern-To";
  public static final String ORIGIN_ID = "Tern-Origin-Id";
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
        .headers(new Headers().add(KIND, KIND_STANZA).add(TO, to.toString()))
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
