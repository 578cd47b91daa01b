package dev.tern.edge.receipts;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.routing.WireText;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.routing.MessageWire;
import dev.tern.routing.ReceiptWire;
import dev.tern.storage.receipts.ReceiptState;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The receipt status query, a Tern extension: an IQ get to the user's own account asks how far
 * messages the user sent got, each named by the peer and an id (the message's {@code id}
 * attribute, its origin-id or its stanza-id):
 *
 * <pre>{@code
 * <iq type='get' id='q1'>
 *   <status xmlns='urn:tern:receipts:0'>
 *     <message with='bob@localhost' id='m-1'/>
 *   </status>
 * </iq>
 * }</pre>
 *
 * answered in the same order with a {@code state} ({@code sent}, {@code delivered},
 * {@code displayed}, {@code acknowledged}, or {@code unknown} for no such message) and the
 * XEP-0082 stamp of each state reached:
 *
 * <pre>{@code
 * <status xmlns='urn:tern:receipts:0'>
 *   <message with='bob@localhost' id='m-1' state='displayed'
 *       delivered='2026-01-01T10:00:00.120Z' displayed='2026-01-01T10:02:13.004Z'/>
 * </status>
 * }</pre>
 *
 * A router of the region answers from the receipt store ({@link ReceiptWire}).
 */
public final class ReceiptStatusHandler implements IqHandler {

  public static final String NAMESPACE = "urn:tern:receipts:0";

  private final Connection nats;
  private final String region;
  private final Duration timeout;

  public ReceiptStatusHandler(Connection nats, String region, Duration timeout) {
    this.nats = requireNonNull(nats, "nats");
    this.region = requireNonNull(region, "region");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get"), "status", NAMESPACE,
        IqRegistration.Addressing.OWN_ACCOUNT, false, List.of(NAMESPACE));
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    String user = request.sender().orElseThrow(
        () -> new IqError(StanzaErrorCondition.NOT_AUTHORIZED, "bind first")).bare().toString();
    List<ReceiptWire.Query> queries = queries(request.payload());
    return nats.requestWithTimeout(NatsMessage.builder().subject(ReceiptWire.status(region))
            .headers(new Headers().add(MessageWire.USER, WireText.encode(user)))
            .data(ReceiptWire.encodeQueries(queries)).build(), timeout)
        .thenApply(reply -> {
          if (WireText.header(reply.getHeaders(), MessageWire.ERROR) != null) {
            throw new IqError(StanzaErrorCondition.INTERNAL_SERVER_ERROR, "try again later");
          }
          return Optional.of(answer(ReceiptWire.decodeAnswers(reply.getData())));
        });
  }

  /** The messages a query names: 1 to {@link ReceiptWire#MAX_QUERY}, each a bare JID and an id. */
  static List<ReceiptWire.Query> queries(XmlElement status) {
    List<ReceiptWire.Query> out = new ArrayList<>();
    for (XmlElement m : status.elements()) {
      if (!m.name().equals("message") || !m.namespace().equals(NAMESPACE)) {
        throw new IqError(StanzaErrorCondition.BAD_REQUEST, "only <message/> elements");
      }
      String id = m.attribute("id").filter(s -> !s.isEmpty()).orElseThrow(
          () -> new IqError(StanzaErrorCondition.BAD_REQUEST, "a <message/> needs an 'id'"));
      Jid with;
      try {
        with = Jid.parse(m.attribute("with").orElse(""));
      } catch (JidMalformedException e) {
        throw new IqError(StanzaErrorCondition.JID_MALFORMED, "'with' is not a JID");
      }
      if (with.local().isEmpty() || with.resource().isPresent()) {
        throw new IqError(StanzaErrorCondition.BAD_REQUEST, "'with' is a user's bare JID");
      }
      out.add(new ReceiptWire.Query(with.toString(), id));
    }
    if (out.isEmpty() || out.size() > ReceiptWire.MAX_QUERY) {
      throw new IqError(StanzaErrorCondition.POLICY_VIOLATION,
          "ask for 1 to " + ReceiptWire.MAX_QUERY + " messages at a time");
    }
    return out;
  }

  /** The result payload: one {@code <message/>} per answer, in the query's order. */
  static XmlElement answer(List<ReceiptWire.Answer> answers) {
    XmlElement.Builder status = XmlElement.builder("status", NAMESPACE);
    for (ReceiptWire.Answer a : answers) {
      XmlElement.Builder m = XmlElement.builder("message", NAMESPACE)
          .attribute("with", a.query().with())
          .attribute("id", a.query().id());
      if (a.seq().isEmpty()) {
        status.child(m.attribute("state", "unknown").build());
        continue;
      }
      m.attribute("state", a.status().state().wireName());
      a.stanzaId().ifPresent(id -> m.attribute("stanza-id", id));
      for (ReceiptState s : ReceiptState.values()) {
        a.status().stamp(s).ifPresent(at -> m.attribute(s.wireName(), at.toString()));
      }
      status.child(m.build());
    }
    return status.build();
  }
}
