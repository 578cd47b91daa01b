package dev.tern.edge.session;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feature modules of an edge, in the order their hooks run: each session gets its part of
 * every module, and each nonza namespace belongs to exactly one module.
 */
public final class ModuleRegistry {

  private final List<EdgeModule> modules;
  private final Map<String, Integer> nonzas = new HashMap<>();

  public ModuleRegistry(List<EdgeModule> modules) {
    this.modules = List.copyOf(requireNonNull(modules, "modules"));
    for (int i = 0; i < this.modules.size(); i++) {
      for (String ns : this.modules.get(i).nonzaNamespaces()) {
        if (nonzas.putIfAbsent(ns, i) != null) {
          throw new IllegalStateException("two modules take nonzas of " + ns);
        }
      }
    }
  }

  public List<EdgeModule> modules() {
    return modules;
  }

  /** Every module's part of {@code session}, in order. */
  SessionModule[] attach(Session session) {
    SessionModule[] parts = new SessionModule[modules.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = requireNonNull(modules.get(i).attach(session), "attach");
    }
    return parts;
  }

  /** The part of {@code parts} that takes nonzas of {@code namespace}, if a module does. */
  Optional<SessionModule> nonzaModule(String namespace, SessionModule[] parts) {
    Integer i = nonzas.get(namespace);
    return i == null ? Optional.empty() : Optional.of(parts[i]);
  }
}
