package dev.tern.edge.sm;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.session.EdgeModule;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import java.util.Set;

/**
 * XEP-0198 Stream Management: acks both ways, and resumption of a stream whose connection was
 * lost, on this edge or another ({@link Resumption} keeps the state in the resumption store).
 */
public final class StreamManagementModule implements EdgeModule {

  private final Resumption resumption;

  public StreamManagementModule(Resumption resumption) {
    this.resumption = requireNonNull(resumption, "resumption");
  }

  @Override
  public Set<String> nonzaNamespaces() {
    return Set.of(StreamManagement.NAMESPACE);
  }

  @Override
  public SessionModule attach(Session session) {
    return new ManagedStream(session, resumption);
  }
}
