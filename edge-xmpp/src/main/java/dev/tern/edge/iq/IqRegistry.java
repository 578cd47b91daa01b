package dev.tern.edge.iq;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The IQ handlers of an edge, looked up by (type, payload, addressing). */
public final class IqRegistry {

  private final Map<String, IqHandler> routes = new HashMap<>();
  private final List<IqHandler> handlers = new ArrayList<>();

  /** Installs {@code handler}; two handlers for the same route are a programming error. */
  public IqRegistry register(IqHandler handler) {
    requireNonNull(handler, "handler");
    IqRegistration r = handler.registration();
    for (String type : r.types()) {
      IqHandler previous = routes.putIfAbsent(r.key(type), handler);
      if (previous != null) {
        throw new IllegalStateException("two IQ handlers for " + r.key(type));
      }
    }
    handlers.add(handler);
    return this;
  }

  public Optional<IqHandler> find(String type, String element, String namespace,
      IqRegistration.Addressing addressing) {
    return Optional.ofNullable(routes.get(type + "/" + element + "/" + namespace + "/" + addressing));
  }

  /** Every feature some handler advertises for {@code addressing}, sorted (XEP-0030 §3.1). */
  public List<String> features(IqRegistration.Addressing addressing) {
    TreeSet<String> out = new TreeSet<>();
    for (IqHandler h : handlers) {
      if (h.registration().addressing() == addressing) {
        out.addAll(h.registration().features());
      }
    }
    return List.copyOf(out);
  }

  /** The handlers registered for {@code addressing}, in registration order. */
  public List<IqHandler> handlers(IqRegistration.Addressing addressing) {
    return handlers.stream().filter(h -> h.registration().addressing() == addressing).toList();
  }

  /** Every identity some handler adds for {@code addressing}, in registration order, once. */
  public List<IqRegistration.Identity> identities(IqRegistration.Addressing addressing) {
    java.util.LinkedHashSet<IqRegistration.Identity> out = new java.util.LinkedHashSet<>();
    for (IqHandler h : handlers) {
      if (h.registration().addressing() == addressing) {
        out.addAll(h.registration().identities());
      }
    }
    return List.copyOf(out);
  }
}
