package dev.tern.edge.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code /health}: one entry per dependency, and UP only when every one is UP.
 *
 * @param region the region this process serves
 * @param checks dependency name to its state, in registration order
 */
public record HealthReport(String region, Map<String, Check> checks) {

  /** One dependency's state; {@code error} says why it is DOWN. */
  public record Check(boolean up, long millis, @Nullable String error) {

    public String status() {
      return up ? "UP" : "DOWN";
    }
  }

  public HealthReport {
    checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
  }

  public boolean up() {
    return checks.values().stream().allMatch(Check::up);
  }

  public String status() {
    return up() ? "UP" : "DOWN";
  }
}
