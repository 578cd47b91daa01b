package dev.tern.edge.session;

import dev.tern.edge.iq.HostedService;
import dev.tern.edge.iq.IqHandler;
import java.util.List;
import java.util.Set;

/**
 * One XEP's place in the edge, declared as data: the IQs it answers, the nonzas it takes, and
 * its part of each session. Every module is listed once, in {@code dev.tern.edge.EdgeModules};
 * adding a XEP touches its own package and that list.
 */
public interface EdgeModule {

  /** A module that only answers IQs: its handlers and nothing per session. */
  static EdgeModule answering(List<IqHandler> handlers) {
    List<IqHandler> copy = List.copyOf(handlers);
    return new EdgeModule() {
      @Override
      public List<IqHandler> iqHandlers() {
        return copy;
      }
    };
  }

  /** As {@link #answering(List)}. */
  static EdgeModule answering(IqHandler... handlers) {
    return answering(List.of(handlers));
  }

  /** IQ handlers: routed by the edge's registry, their features advertised by disco. */
  default List<IqHandler> iqHandlers() {
    return List.of();
  }

  /**
   * Features the server's disco#info advertises for this module beside those of its IQ
   * handlers: features of the account's services that clients look for on the domain.
   */
  default List<String> serverFeatures() {
    return List.of();
  }

  /** Services at addresses of their own (the server's disco#items lists them). */
  default List<HostedService> services() {
    return List.of();
  }

  /** Namespaces of the top-level non-stanza elements this module takes (e.g. XEP-0198's). */
  default Set<String> nonzaNamespaces() {
    return Set.of();
  }

  /** This module's part of a new session; {@link SessionModule#NONE} if it keeps nothing. */
  default SessionModule attach(Session session) {
    return SessionModule.NONE;
  }
}
