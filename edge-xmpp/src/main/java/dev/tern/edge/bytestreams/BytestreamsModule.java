package dev.tern.edge.bytestreams;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.HostedService;
import dev.tern.edge.session.EdgeModule;
import java.util.List;

/** XEP-0065: the edge hosts a bytestreams proxy (its SOCKS5 listener runs beside the edge's). */
public final class BytestreamsModule implements EdgeModule {

  private final ProxyService proxy;

  public BytestreamsModule(ProxyService proxy) {
    this.proxy = requireNonNull(proxy, "proxy");
  }

  @Override
  public List<HostedService> services() {
    return List.of(proxy);
  }
}
