package dev.tern.edge.last;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.edge.roster.EdgeRoster;
import dev.tern.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * XEP-0012 §4: the server answers for a contact's bare JID, with the seconds since the contact's
 * last unavailable presence and its status (0 while online), but only to a user subscribed to
 * the contact's presence; anyone else gets forbidden (§7).
 */
public final class LastActivityHandler implements IqHandler {

  public static final String NAMESPACE = "jabber:iq:last";

  private final EdgeRoster roster;

  public LastActivityHandler(EdgeRoster roster) {
    this.roster = requireNonNull(roster, "roster");
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get"), "query", NAMESPACE,
        IqRegistration.Addressing.OTHER_USER, false, List.of());
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    String requester = request.sender().orElseThrow().bare().toString();
    String contact;
    try {
      contact = Jid.parse(request.iq().attribute("to").orElseThrow()).bare().toString();
    } catch (JidMalformedException e) {
      return CompletableFuture.failedFuture(e);
    }
    return roster.last(requester, contact)
        .thenApply(a -> Optional.of(query(a.seconds(), a.status())));
  }

  static XmlElement query(long seconds, String status) {
    XmlElement.Builder b = XmlElement.builder("query", NAMESPACE)
        .attribute("seconds", Long.toString(seconds));
    if (!status.isEmpty()) {
      b.text(status);
    }
    return b.build();
  }

  /** XEP-0012 §5: asked of the server itself, the seconds since this edge started. */
  public static final class Uptime implements IqHandler {

    private final Supplier<Duration> uptime;

    public Uptime(Supplier<Duration> uptime) {
      this.uptime = requireNonNull(uptime, "uptime");
    }

    @Override
    public IqRegistration registration() {
      return new IqRegistration(Set.of("get"), "query", NAMESPACE,
          IqRegistration.Addressing.SERVER, false, List.of(NAMESPACE));
    }

    @Override
    public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
      return CompletableFuture.completedFuture(
          Optional.of(query(uptime.get().toSeconds(), "")));
    }
  }
}
