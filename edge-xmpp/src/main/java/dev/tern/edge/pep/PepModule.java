package dev.tern.edge.pep;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.session.EdgeModule;
import java.util.List;

/** XEP-0163 in the edge: the PEP service's IQs ({@link PepHandler}). */
public final class PepModule implements EdgeModule {

  private final PepClient client;

  public PepModule(PepClient client) {
    this.client = requireNonNull(client, "client");
  }

  @Override
  public List<IqHandler> iqHandlers() {
    return PepHandler.all(client);
  }
}
