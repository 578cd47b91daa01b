package dev.tern.router;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/** A NATS connection that only records what is published on it, for tests without a server. */
public final class PublishedMessages {

  public final List<Message> published = new ArrayList<>();

  public final Connection connection = (Connection) Proxy.newProxyInstance(
      Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
      (proxy, method, args) -> {
        if (method.getName().equals("publish") && args.length == 1 && args[0] instanceof Message m) {
          published.add(m);
          return null;
        }
        if (method.getName().equals("publish") && args.length == 2
            && args[0] instanceof String subject && args[1] instanceof byte[] data) {
          published.add(NatsMessage.builder().subject(subject).data(data).build());
          return null;
        }
        throw new UnsupportedOperationException(method.getName());
      });

  public List<Message> on(String subject) {
    return published.stream().filter(m -> m.getSubject().equals(subject)).toList();
  }
}
