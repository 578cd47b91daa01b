package dev.tern.edge.roster;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * RFC 6121 §2: roster get, set and remove on the user's own account; a router of the region
 * keeps the roster and pushes changes to the user's interested resources.
 */
public final class RosterHandler implements IqHandler {

  private final EdgeRoster roster;

  public RosterHandler(EdgeRoster roster) {
    this.roster = requireNonNull(roster, "roster");
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get", "set"), "query", RosterCodec.NAMESPACE,
        IqRegistration.Addressing.OWN_ACCOUNT, false, List.of());
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    String self = request.sender().map(Jid::toString).orElseThrow();
    RosterCodec.Request r = RosterCodec.parse(request.type(), request.payload());
    if (r instanceof RosterCodec.Get) {
      return roster.get(self).thenApply(items -> Optional.of(RosterCodec.query(items)));
    }
    if (r instanceof RosterCodec.Set set) {
      return roster.set(self, set.item(), set.claimed()).thenApply(v -> Optional.empty());
    }
    return roster.remove(self, ((RosterCodec.Remove) r).contact()).thenApply(v -> Optional.empty());
  }

  /**
   * RFC 6121 §2.3.3 and §2.1.5: a roster get or set addressed to another user's account is
   * refused with forbidden; only the user manages the user's roster.
   */
  public static final class OfOthers implements IqHandler {

    @Override
    public IqRegistration registration() {
      return new IqRegistration(Set.of("get", "set"), "query", RosterCodec.NAMESPACE,
          IqRegistration.Addressing.OTHER_USER, false, List.of());
    }

    @Override
    public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
      return CompletableFuture.failedFuture(
          new IqError(StanzaErrorCondition.FORBIDDEN, "not your roster"));
    }
  }
}
