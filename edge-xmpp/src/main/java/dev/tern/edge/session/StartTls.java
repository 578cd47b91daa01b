package dev.tern.edge.session;

import dev.tern.edge.tls.OpenSslExporter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's TLS: on from the start (Direct TLS, XEP-0368) or after STARTTLS (RFC 6120 §5.4),
 * and the handshake's outcome for the metrics.
 */
final class StartTls {

  private static final Logger log = LoggerFactory.getLogger(StartTls.class);

  private final EdgeServices services;
  private final SessionListener.Transport transport;
  private boolean on;
  private long startNanos;

  StartTls(EdgeServices services, SessionListener.Transport transport, boolean fromStart) {
    this.services = services;
    this.transport = transport;
    this.on = fromStart;
  }

  boolean on() {
    return on;
  }

  /** The connection is up: a handshake from the start is timed from now. */
  void connected() {
    startNanos = System.nanoTime();
  }

  /** Puts TLS in front of the stream; {@code <proceed/>} itself still goes out in the clear. */
  void start(ChannelHandlerContext ctx) {
    SslHandler ssl = new SslHandler(services.tls().newEngine(ctx.alloc()), true); // §5.4.2.3
    OpenSslExporter.track(ctx.channel(), ssl);
    ctx.pipeline().addFirst("tls", ssl);
    startNanos = System.nanoTime();
    on = true;
  }

  /** Records a finished handshake; false (and the connection closes) if it failed. */
  boolean handshaken(ChannelHandlerContext ctx, SslHandshakeCompletionEvent done) {
    services.listener().tlsHandshake(transport,
        Duration.ofNanos(System.nanoTime() - startNanos), done.isSuccess());
    if (!done.isSuccess()) {
      log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(),
          done.cause().toString());
      ctx.close();
    }
    return done.isSuccess();
  }

  static @Nullable SslHandler handler(@Nullable ChannelHandlerContext ctx) {
    return ctx == null ? null : ctx.pipeline().get(SslHandler.class);
  }
}
