package dev.tern.edge.mam;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.routing.mam.MamFailure;
import dev.tern.routing.mam.MamPage;
import dev.tern.routing.mam.MamRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0313 for the user's own archive (an IQ to the account, or without 'to'): {@code get}
 * returns the query form (§4.1.5); {@code set} sends each matching message as a
 * {@code <result/>} (§4.2), then answers with {@code <fin/>} carrying the XEP-0059 set (§4.3).
 */
public final class MamHandler implements IqHandler {

  public static final String NAMESPACE = "urn:xmpp:mam:2";
  public static final String EXTENDED = "urn:xmpp:mam:2#extended";
  static final String CLIENT = "jabber:client";
  static final String FORWARD = "urn:xmpp:forward:0";
  static final String DELAY = "urn:xmpp:delay";

  private final MamClient archive;

  public MamHandler(MamClient archive) {
    this.archive = requireNonNull(archive, "archive");
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get", "set"), "query", NAMESPACE,
        IqRegistration.Addressing.OWN_ACCOUNT, false, List.of(NAMESPACE, EXTENDED));
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    if (request.type().equals("get")) {
      return CompletableFuture.completedFuture(Optional.of(form()));
    }
    Jid requester = request.sender().orElseThrow(
        () -> new IqError(StanzaErrorCondition.NOT_AUTHORIZED, "bind a resource first"));
    String user = requester.bare().toString();
    MamRequest query = MamQueryParser.parse(request.payload(), user);
    Optional<String> queryId = request.payload().attribute("queryid");
    return archive.query(query)
        .handle((page, error) -> {
          if (error != null) {
            throw refusal(error);
          }
          for (MamPage.Result r : page.results()) {
            request.toSender().accept(result(requester, user, queryId, r));
          }
          return Optional.of(fin(page));
        });
  }

  private static RuntimeException refusal(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof MamFailure f) {
      return new IqError(switch (f.reason()) {
        case ITEM_NOT_FOUND -> StanzaErrorCondition.ITEM_NOT_FOUND;
        case BAD_REQUEST -> StanzaErrorCondition.BAD_REQUEST;
      }, f.getMessage() == null ? "" : f.getMessage());
    }
    return cause instanceof RuntimeException r ? r : new CompletionException(cause);
  }

  /** §4.2: one archived message, forwarded (XEP-0297) with its time (XEP-0203). */
  static XmlElement result(Jid requester, String archiveJid, Optional<String> queryId,
      MamPage.Result r) {
    XmlElement.Builder result = XmlElement.builder("result", NAMESPACE).attribute("id", r.stanzaId());
    queryId.ifPresent(q -> result.attribute("queryid", q));
    XmlElement original = Xml.parse(r.stanzaXml());
    result.child(XmlElement.builder("forwarded", FORWARD)
        .child(XmlElement.builder("delay", DELAY).attribute("stamp", r.storedAt().toString())
            .build())
        .child(original)
        .build());
    return XmlElement.builder("message", CLIENT)
        .attribute("from", archiveJid)
        .attribute("to", requester.toString())
        .child(result.build())
        .build();
  }

  /** §4.3: the end of the page, and XEP-0059's first and last of what was sent. */
  static XmlElement fin(MamPage page) {
    XmlElement.Builder set = XmlElement.builder("set", MamQueryParser.RSM);
    page.first().ifPresent(id -> set.child(XmlElement.builder("first", MamQueryParser.RSM)
        .text(id).build()));
    page.last().ifPresent(id -> set.child(XmlElement.builder("last", MamQueryParser.RSM)
        .text(id).build()));
    return XmlElement.builder("fin", NAMESPACE)
        .attribute("complete", Boolean.toString(page.complete()))
        .child(set.build())
        .build();
  }

  /** §4.1.5: the fields a query may use. */
  static XmlElement form() {
    String data = MamQueryParser.DATA;
    XmlElement.Builder x = XmlElement.builder("x", data).attribute("type", "form")
        .child(XmlElement.builder("field", data).attribute("type", "hidden")
            .attribute("var", "FORM_TYPE")
            .child(XmlElement.builder("value", data).text(NAMESPACE).build())
            .build());
    String[][] fields = {
        {"with", "jid-single"}, {"start", "text-single"}, {"end", "text-single"},
        {"after-id", "text-single"}, {"before-id", "text-single"}, {"ids", "text-multi"}};
    for (String[] f : fields) {
      x.child(XmlElement.builder("field", data).attribute("var", f[0]).attribute("type", f[1])
          .build());
    }
    return XmlElement.builder("query", NAMESPACE).child(x.build()).build();
  }
}
