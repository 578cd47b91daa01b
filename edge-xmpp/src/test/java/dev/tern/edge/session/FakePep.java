package dev.tern.edge.session;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.pep.PepClient;
import dev.tern.routing.Refusal;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The routers' side of PEP, in memory: records each request and answers it with what the test
 * set ({@link #answer}, {@link #refuse}), else with an empty result.
 */
public final class FakePep implements PepClient {

  /** A request a session handed over. */
  public record Request(String fromFull, String ownerBare, String type, String pubsubXml) {}

  /** A session's request for the last items of the nodes it wants. */
  public record Last(String fullJid, List<String> nodes) {}

  private final List<Request> requests = new ArrayList<>();
  private final List<Last> lasts = new ArrayList<>();
  private Optional<XmlElement> answer = Optional.empty();
  private Optional<Refusal> refusal = Optional.empty();

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Last> lasts() {
    return List.copyOf(lasts);
  }

  /** The next requests are answered with {@code result} as the IQ result's child. */
  public FakePep answer(String result) {
    answer = Optional.of(Xml.parse(result));
    refusal = Optional.empty();
    return this;
  }

  /** The next requests are refused with {@code refusal}. */
  public FakePep refuse(Refusal refusal) {
    this.refusal = Optional.of(refusal);
    return this;
  }

  @Override
  public CompletionStage<Optional<XmlElement>> request(String fromFull, String ownerBare,
      String type, XmlElement pubsub) {
    requests.add(new Request(fromFull, ownerBare, type, Xml.serialize(pubsub)));
    if (refusal.isPresent()) {
      return CompletableFuture.failedFuture(new EdgeMessaging.Refused(refusal.get()));
    }
    return CompletableFuture.completedFuture(answer);
  }

  @Override
  public CompletionStage<Void> last(String fullJid, Collection<String> nodes) {
    lasts.add(new Last(fullJid, List.copyOf(nodes)));
    return CompletableFuture.completedFuture(null);
  }
}
