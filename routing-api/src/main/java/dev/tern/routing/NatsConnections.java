package dev.tern.routing;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens NATS connections the way every Tern process wants them: reconnecting forever, logged. */
public final class NatsConnections {

  private static final Logger log = LoggerFactory.getLogger(NatsConnections.class);

  private NatsConnections() {}

  /** Connects to one of {@code servers}; fails if none answers within {@code timeout}. */
  public static Connection connect(String name, List<String> servers, Duration timeout)
      throws IOException, InterruptedException {
    Options options = Options.builder()
        .servers(servers.toArray(String[]::new))
        .connectionName(name)
        .connectionTimeout(timeout)
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(250))
        .connectionListener((conn, event) -> log.info("nats {}: {}", name, event))
        .errorListener(new ErrorListener() {
          @Override
          public void errorOccurred(Connection conn, String error) {
            log.warn("nats {}: {}", name, error);
          }

          @Override
          public void exceptionOccurred(Connection conn, Exception exp) {
            log.warn("nats {}: {}", name, exp.toString());
          }
        })
        .build();
    return Nats.connect(options);
  }

  /** Throws unless {@code connection} is connected now. */
  public static void requireConnected(Connection connection) {
    Connection.Status status = connection.getStatus();
    if (status != Connection.Status.CONNECTED) {
      throw new IllegalStateException("NATS connection is " + status);
    }
  }
}
