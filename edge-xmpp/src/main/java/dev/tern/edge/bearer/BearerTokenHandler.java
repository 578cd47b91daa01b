package dev.tern.edge.bearer;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code <iq type='get'><token xmlns='urn:tern:bearer:0'/></iq>} from an authenticated user
 * answers {@code <token xmlns='urn:tern:bearer:0' expiry='…'>…</token>}: a bearer token for
 * {@code GET /ws/connect} with {@code Authorization: Bearer …}.
 */
public final class BearerTokenHandler implements IqHandler {

  public static final String NAMESPACE = "urn:tern:bearer:0";

  private final BearerTokens tokens;

  public BearerTokenHandler(BearerTokens tokens) {
    this.tokens = requireNonNull(tokens, "tokens");
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get"), "token", NAMESPACE,
        IqRegistration.Addressing.SERVER, false, List.of(NAMESPACE));
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    String user = request.sender().flatMap(j -> j.local())
        .orElseThrow(() -> new IqError(StanzaErrorCondition.NOT_AUTHORIZED, "authenticate first"));
    BearerTokens.Issued issued = tokens.issue(user);
    return CompletableFuture.completedFuture(Optional.of(XmlElement.builder("token", NAMESPACE)
        .attribute("expiry", issued.expires().toString())
        .text(issued.token())
        .build()));
  }
}
