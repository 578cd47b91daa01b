package dev.tern.edge.session;

import dev.tern.edge.im.EdgeMessaging;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's part of every module, in the registry's order, and the hook chains that run
 * through them: the first module that takes an inbound, outbound or passing stanza ends its
 * chain; events reach every module.
 */
final class SessionHooks {

  private static final Logger log = LoggerFactory.getLogger(SessionHooks.class);

  private final ModuleRegistry registry;
  private final Session session;
  private final SessionModule[] parts;

  SessionHooks(ModuleRegistry registry, Session session) {
    this.registry = registry;
    this.session = session;
    this.parts = registry.attach(session);
  }

  <T extends SessionModule> Optional<T> find(Class<T> type) {
    for (SessionModule m : parts) {
      if (type.isInstance(m)) {
        return Optional.of(type.cast(m));
      }
    }
    return Optional.empty();
  }

  void features(SessionState state, List<XmlElement> out) {
    for (SessionModule m : parts) {
      m.features(state, out);
    }
  }

  /** Hands a nonza to the module that declared its namespace; false if none did. */
  boolean nonza(XmlElement element) {
    Optional<SessionModule> owner = registry.nonzaModule(element.namespace(), parts);
    owner.ifPresent(m -> m.nonza(element));
    return owner.isPresent();
  }

  /** {@code stanza} as every module's filter left it, in order. */
  XmlElement filter(XmlElement stanza) {
    XmlElement filtered = stanza;
    for (SessionModule m : parts) {
      filtered = m.filter(filtered);
    }
    return filtered;
  }

  /** The handling of the first module that takes {@code stanza}; null if none does. */
  @Nullable CompletableFuture<?> inbound(XmlElement stanza) {
    for (SessionModule m : parts) {
      CompletableFuture<?> handled = m.inbound(stanza);
      if (handled != null) {
        return handled;
      }
    }
    return null;
  }

  void received(CompletableFuture<?> handled) {
    for (SessionModule m : parts) {
      m.received(handled);
    }
  }

  /** Whether a module writes {@code stanza} itself. */
  boolean outbound(XmlElement stanza, @Nullable Runnable whenAcked) {
    for (SessionModule m : parts) {
      if (m.outbound(stanza, whenAcked)) {
        return true;
      }
    }
    return false;
  }

  /** Completes once every module's stanzas taken so far are on the wire. */
  CompletableFuture<Void> pendingWrites() {
    return CompletableFuture.allOf(java.util.Arrays.stream(parts).map(SessionModule::pendingWrites)
        .toArray(CompletableFuture[]::new));
  }

  /**
   * A stanza stored nowhere, passing to this bound session: to the first module that knows it;
   * anything else is sent as it is. True if the session took it.
   */
  boolean pass(EdgeMessaging.Passing passing) {
    XmlElement stanza;
    try {
      stanza = Xml.parse(passing.xml());
    } catch (IllegalArgumentException e) {
      log.warn("a passing stanza for {} does not parse", passing.toJid(), e);
      return false;
    }
    for (SessionModule m : parts) {
      SessionModule.Pass p = m.passing(stanza, passing.toJid());
      if (p != SessionModule.Pass.NOT_MINE) {
        return p == SessionModule.Pass.TAKEN;
      }
    }
    session.sendFromAnyThread(stanza);
    return true;
  }

  void bound() {
    for (SessionModule m : parts) {
      m.bound();
    }
  }

  void clientReady() {
    for (SessionModule m : parts) {
      m.clientReady();
    }
  }

  void roomChanged() {
    for (SessionModule m : parts) {
      m.roomChanged();
    }
  }

  void resumableStateChanged() {
    for (SessionModule m : parts) {
      m.resumableStateChanged();
    }
  }

  void resumed(String presence) {
    for (SessionModule m : parts) {
      m.resumed(presence);
    }
  }

  void accepted(XmlElement message) {
    for (SessionModule m : parts) {
      m.accepted(message);
    }
  }

  void natsReconnected() {
    for (SessionModule m : parts) {
      m.natsReconnected();
    }
  }

  void closed(SessionModule.Ending ending) {
    for (SessionModule m : parts) {
      m.closed(ending);
    }
  }
}
