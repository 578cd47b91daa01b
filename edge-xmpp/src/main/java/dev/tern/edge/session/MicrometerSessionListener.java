package dev.tern.edge.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.tern.xmpp.xml.StreamErrorCondition;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Edge metrics with stable names; the registry adds the {@code region} label.
 *
 * <ul>
 *   <li>{@code tern_edge_connections{transport}}: open client connections
 *   <li>{@code tern_edge_stanzas_in_total{transport,kind}}, {@code tern_edge_stanzas_out_total}
 *   <li>{@code tern_edge_authentications_total{transport,mechanism,outcome}}
 *   <li>{@code tern_edge_tls_handshake_seconds{transport,outcome}}
 *   <li>{@code tern_edge_stream_errors_total{transport,condition}}
 * </ul>
 */
public final class MicrometerSessionListener implements SessionListener {

  private final MeterRegistry registry;
  private final Map<Transport, AtomicInteger> connections = new EnumMap<>(Transport.class);

  public MicrometerSessionListener(MeterRegistry registry) {
    this.registry = registry;
    for (Transport t : Transport.values()) {
      AtomicInteger gauge = new AtomicInteger();
      connections.put(t, gauge);
      registry.gauge("tern.edge.connections",
          io.micrometer.core.instrument.Tags.of("transport", t.label()), gauge);
    }
  }

  @Override
  public void connected(Transport transport) {
    connections.get(transport).incrementAndGet();
  }

  @Override
  public void disconnected(Transport transport) {
    connections.get(transport).decrementAndGet();
  }

  @Override
  public void tlsHandshake(Transport transport, Duration took, boolean ok) {
    Timer.builder("tern.edge.tls.handshake")
        .tag("transport", transport.label()).tag("outcome", ok ? "success" : "failure")
        .register(registry).record(took);
  }

  @Override
  public void stanzaIn(Transport transport, String kind) {
    counter("tern.edge.stanzas.in", transport, "kind", kind).increment();
  }

  @Override
  public void stanzaOut(Transport transport, String kind) {
    counter("tern.edge.stanzas.out", transport, "kind", kind).increment();
  }

  @Override
  public void authentication(Transport transport, String mechanism, String outcome) {
    Counter.builder("tern.edge.authentications")
        .tag("transport", transport.label()).tag("mechanism", mechanism).tag("outcome", outcome)
        .register(registry).increment();
  }

  @Override
  public void streamError(Transport transport, StreamErrorCondition condition) {
    counter("tern.edge.stream.errors", transport, "condition", condition.elementName()).increment();
  }

  @Override
  public void deliveryLeftToQueue(Transport transport) {
    Counter.builder("tern.edge.deliveries.left.to.queue").tag("transport", transport.label())
        .description("stored messages not written to a socket past its high-water mark; "
            + "replayed from the unread queue when it drains")
        .register(registry).increment();
  }

  private Counter counter(String name, Transport transport, String key, String value) {
    return Counter.builder(name).tag("transport", transport.label()).tag(key, value)
        .register(registry);
  }
}
