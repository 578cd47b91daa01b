package dev.tern.edge.iq;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The IQ handlers of an edge, looked up by (type, payload, addressing). */
public final class IqRegistry {

  private final Map<String, IqHandler> routes = new HashMap<>();
  private final List<IqHandler> handlers = new ArrayList<>();
  private final Map<String, HostedService> services = new LinkedHashMap<>();
  private final Map<IqRegistration.Addressing, List<String>> announced = new HashMap<>();

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

  /** Hosts {@code service} at its address; two services at one address are a programming error. */
  public IqRegistry host(HostedService service) {
    requireNonNull(service, "service");
    if (services.putIfAbsent(service.address(), service) != null) {
      throw new IllegalStateException("two services at " + service.address());
    }
    return this;
  }

  /** The service at {@code address}, if one is hosted there. */
  public Optional<HostedService> service(String address) {
    return Optional.ofNullable(services.get(address));
  }

  /** Every hosted service, in the order they were hosted. */
  public List<HostedService> services() {
    return List.copyOf(services.values());
  }

  public Optional<IqHandler> find(String type, String element, String namespace,
      IqRegistration.Addressing addressing) {
    return Optional.ofNullable(routes.get(type + "/" + element + "/" + namespace + "/" + addressing));
  }

  /**
   * Advertises {@code features} for {@code addressing} although no IQ to that addressee uses
   * them (the PEP features on the server's domain, where Smack looks for them).
   */
  public IqRegistry announce(IqRegistration.Addressing addressing, List<String> features) {
    announced.computeIfAbsent(addressing, a -> new ArrayList<>()).addAll(features);
    return this;
  }

  /** Every feature advertised for {@code addressing}, sorted (XEP-0030 §3.1). */
  public List<String> features(IqRegistration.Addressing addressing) {
    TreeSet<String> out = new TreeSet<>(announced.getOrDefault(addressing, List.of()));
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
