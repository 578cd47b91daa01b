package dev.tern.edge.pep;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.caps.CapsCache;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.session.EdgeModule;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import java.util.List;

/**
 * XEP-0163 in the edge: the PEP service's IQs ({@link PepHandler}) and each session's
 * notifications ({@link PepSession}), with the entity capabilities this edge has verified. It
 * must come before the presence module, which delivers every other passing message.
 */
public final class PepModule implements EdgeModule {

  private final PepClient client;
  private final CapsCache caps = new CapsCache(CapsCache.DEFAULT_SIZE);

  public PepModule(PepClient client) {
    this.client = requireNonNull(client, "client");
  }

  @Override
  public List<String> serverFeatures() {
    // XEP-0163 puts them on the account; Smack's OMEMO (XEP-0384) and OpenPGP (XEP-0373)
    // support checks read them on the domain, as ejabberd announces them there too.
    return PepHandler.FEATURES;
  }

  @Override
  public List<IqHandler> iqHandlers() {
    return PepHandler.all(client);
  }

  @Override
  public SessionModule attach(Session session) {
    return new PepSession(session, client, caps);
  }
}
