package dev.tern.edge.http;

/** One dependency's liveness probe: returns when the dependency answers, throws when it does not. */
@FunctionalInterface
public interface HealthCheck {

  void check() throws Exception;
}
