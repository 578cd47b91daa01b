package dev.tern.edge.carbons;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.edge.session.LocalSessions;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0280 §4 and §5: a session enables or disables carbons for itself with an IQ set to the
 * server. The state belongs to the session ({@link CarbonsSession}; a resumable stream keeps it
 * with its XEP-0198 state); a new session starts without carbons. One handler per element:
 * {@code <enable/>} advertises the feature.
 */
public final class CarbonsHandler implements IqHandler {

  private final LocalSessions sessions;
  private final boolean enable;

  private CarbonsHandler(LocalSessions sessions, boolean enable) {
    this.sessions = requireNonNull(sessions, "sessions");
    this.enable = enable;
  }

  public static CarbonsHandler enable(LocalSessions sessions) {
    return new CarbonsHandler(sessions, true);
  }

  public static CarbonsHandler disable(LocalSessions sessions) {
    return new CarbonsHandler(sessions, false);
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("set"), enable ? "enable" : "disable", Carbons.NAMESPACE,
        IqRegistration.Addressing.SERVER, false,
        enable ? List.of(Carbons.NAMESPACE) : List.of());
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    CarbonsSession session = request.sender().flatMap(sessions::session)
        .flatMap(s -> s.module(CarbonsSession.class))
        .orElseThrow(() -> new IqError(StanzaErrorCondition.UNEXPECTED_REQUEST, "bind first"));
    session.enabled(enable);
    return CompletableFuture.completedFuture(Optional.empty());
  }
}
