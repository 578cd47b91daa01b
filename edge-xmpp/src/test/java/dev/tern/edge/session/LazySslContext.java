package dev.tern.edge.session;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

/** An {@link SslContext} made on first use, for services that need one but rarely use it. */
final class LazySslContext extends SslContext {

  private final Supplier<SslContext> make;
  private SslContext made;

  LazySslContext(Supplier<SslContext> make) {
    this.make = requireNonNull(make, "make");
  }

  private synchronized SslContext context() {
    if (made == null) {
      made = make.get();
    }
    return made;
  }

  @Override
  public boolean isClient() {
    return context().isClient();
  }

  @Override
  public List<String> cipherSuites() {
    return context().cipherSuites();
  }

  @SuppressWarnings("deprecation")
  @Override
  public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
    return context().applicationProtocolNegotiator();
  }

  @Override
  public SSLEngine newEngine(ByteBufAllocator alloc) {
    return context().newEngine(alloc);
  }

  @Override
  public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
    return context().newEngine(alloc, peerHost, peerPort);
  }

  @Override
  public SSLSessionContext sessionContext() {
    return context().sessionContext();
  }
}
