package dev.tern.routing;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.receipts.ReceiptState;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import io.nats.client.impl.Headers;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a router needs to know of a 1:1 message beyond its addressing, read where the stanza is
 * parsed anyway (the sender's edge) and carried beside it, so that no router parses it again:
 * the stanza's own {@code id} attribute (what a receipt for it will name) and the receipts and
 * markers it carries, each naming an earlier message of the other party:
 * {@code <received xmlns='urn:xmpp:receipts' id='X'/>} (XEP-0184 §4) and
 * {@code <received|displayed|acknowledged xmlns='urn:xmpp:chat-markers:0' id='X'/>}
 * (XEP-0333 §3). Only direct children of the message count, and only with a non-empty id.
 *
 * <p>On the wire (a request on {@link MessageWire#send}, wire version 1): {@link
 * MessageWire#CLIENT_ID} holds the id, absent when the stanza has none; {@link MessageWire#ACKS}
 * holds one value per receipt or marker, in document order, {@code <state>:<id>} with the state's
 * {@link ReceiptState#wireName} ({@code delivered}, {@code displayed}, {@code acknowledged}),
 * absent when there is none. Ids are form-encoded ({@link URLEncoder}, UTF-8), since a NATS
 * header value is ASCII without line breaks and an XML id may hold any character. A request
 * without {@link MessageWire#WIRE} comes from an edge older than the headers: its facts are read
 * from the stanza ({@link #parse}).
 *
 * @param clientId the stanza's {@code id} attribute, when it has a non-empty one
 * @param acks the receipts and markers it carries, in document order
 */
public record MessageFacts(Optional<String> clientId, List<Ack> acks) {

  public static final String RECEIPTS = "urn:xmpp:receipts";
  public static final String MARKERS = "urn:xmpp:chat-markers:0";

  /** A message without an id that acknowledges nothing. */
  public static final MessageFacts NONE = new MessageFacts(Optional.empty(), List.of());

  /** One receipt or marker: the state it reports and the id of the message it names. */
  public record Ack(ReceiptState state, String id) {
    public Ack {
      requireNonNull(state, "state");
      requireNonNull(id, "id");
      if (id.isEmpty()) {
        throw new IllegalArgumentException("an ack names a message by a non-empty id");
      }
    }
  }

  public MessageFacts {
    requireNonNull(clientId, "clientId");
    acks = List.copyOf(acks);
    if (clientId.isPresent() && clientId.get().isEmpty()) {
      throw new IllegalArgumentException("an empty id is no id");
    }
  }

  /** Reads {@code stanza}, a {@code <message/>}. */
  public static MessageFacts of(XmlElement stanza) {
    Optional<String> clientId = stanza.attribute("id").filter(s -> !s.isEmpty());
    List<Ack> acks = new ArrayList<>();
    for (XmlElement child : stanza.elements()) {
      ack(child).ifPresent(acks::add);
    }
    return new MessageFacts(clientId, acks);
  }

  /**
   * Parses {@code xml}, a message as an edge serialized it, and reads it; a stanza that does not
   * parse reads as {@link #NONE}. For what came without the headers (an older edge) or only as
   * stored XML; {@link Xml#parse} resolves no DTD and no entities.
   */
  public static MessageFacts parse(String xml) {
    try {
      return of(Xml.parse(xml));
    } catch (IllegalArgumentException e) {
      return NONE;
    }
  }

  /**
   * Adds this to a request's {@code headers} ({@link MessageWire#CLIENT_ID},
   * {@link MessageWire#ACKS}).
   */
  public Headers addTo(Headers headers) {
    clientId.ifPresent(id -> headers.add(MessageWire.CLIENT_ID, encode(id)));
    if (!acks.isEmpty()) {
      headers.add(MessageWire.ACKS,
          acks.stream().map(a -> a.state().wireName() + ":" + encode(a.id())).toList());
    }
    return headers;
  }

  /**
   * The facts a request states, if its sender states them ({@link MessageWire#WIRE} present);
   * empty for a request of an older edge, whose stanza must be read instead. A value that does
   * not decode, or names a state this side does not know, is left out.
   */
  public static Optional<MessageFacts> from(@Nullable Headers headers) {
    if (headers == null || headers.getFirst(MessageWire.WIRE) == null) {
      return Optional.empty();
    }
    Optional<String> clientId = Optional.ofNullable(headers.getFirst(MessageWire.CLIENT_ID))
        .flatMap(MessageFacts::decode);
    List<Ack> acks = new ArrayList<>();
    List<String> values = headers.get(MessageWire.ACKS);
    for (String value : values == null ? List.<String>of() : values) {
      int colon = value.indexOf(':');
      if (colon < 0) {
        continue;
      }
      Optional<ReceiptState> state = state(value.substring(0, colon));
      Optional<String> id = decode(value.substring(colon + 1));
      if (state.isPresent() && id.isPresent()) {
        acks.add(new Ack(state.get(), id.get()));
      }
    }
    return Optional.of(new MessageFacts(clientId, acks));
  }

  private static Optional<Ack> ack(XmlElement child) {
    String id = child.attribute("id").orElse("");
    if (id.isEmpty()) {
      return Optional.empty();
    }
    if (RECEIPTS.equals(child.namespace()) && child.name().equals("received")) {
      return Optional.of(new Ack(ReceiptState.DELIVERED, id));
    }
    if (MARKERS.equals(child.namespace())) {
      return switch (child.name()) {
        case "received" -> Optional.of(new Ack(ReceiptState.DELIVERED, id));
        case "displayed" -> Optional.of(new Ack(ReceiptState.DISPLAYED, id));
        case "acknowledged" -> Optional.of(new Ack(ReceiptState.ACKNOWLEDGED, id));
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  private static Optional<ReceiptState> state(String wireName) {
    for (ReceiptState s : ReceiptState.values()) {
      if (s != ReceiptState.SENT && s.wireName().equals(wireName)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static Optional<String> decode(String value) {
    try {
      return Optional.of(URLDecoder.decode(value, StandardCharsets.UTF_8))
          .filter(s -> !s.isEmpty());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
