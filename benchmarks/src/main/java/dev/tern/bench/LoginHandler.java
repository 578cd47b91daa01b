package dev.tern.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * One client's login as a load tool does it: STARTTLS (or a WebSocket), SASL SCRAM-SHA-1,
 * resource binding, initial presence; or in-band registration. Reads replies as text and only
 * looks for the markers it needs, so it costs little per connection.
 */
final class LoginHandler extends ChannelInboundHandlerAdapter {

  enum Mode { LOGIN, REGISTER }

  private enum Step { FEATURES, PROCEED, TLS, FEATURES_TLS, CHALLENGE, SUCCESS, FEATURES_AUTH, BOUND, REGISTERED, DONE }

  private static final String HEADER = "<?xml version='1.0'?><stream:stream to='%s' version='1.0' "
      + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
  private static final String OPEN = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='%s' version='1.0'/>";

  private final Mode mode;
  private final boolean webSocket;
  private final SslContext tls;
  private final String domain;
  private final String user;
  private final String password;
  private final String resource;
  final CompletableFuture<Long> done = new CompletableFuture<>();
  private final long started = System.nanoTime();
  private StringBuilder in = new StringBuilder();
  private Step step;
  private ScramClient scram;

  LoginHandler(Mode mode, boolean webSocket, SslContext tls, String domain, String user,
      String password, String resource) {
    this.mode = mode;
    this.webSocket = webSocket;
    this.tls = tls;
    this.domain = domain;
    this.user = user;
    this.password = password;
    this.resource = resource;
    this.step = webSocket ? Step.FEATURES_TLS : Step.FEATURES;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (!webSocket) {
      openStream(ctx.channel());
    }
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      openStream(ctx.channel());
    } else if (evt instanceof SslHandshakeCompletionEvent e) {
      if (!e.isSuccess()) {
        fail(ctx, e.cause());
        return;
      }
      step = Step.FEATURES_TLS;
      openStream(ctx.channel());
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof ByteBuf buf) {
        in.append(buf.toString(StandardCharsets.UTF_8));
      } else if (msg instanceof TextWebSocketFrame frame) {
        in.append(frame.text());
      } else {
        return;
      }
      advance(ctx);
    } catch (Exception e) {
      fail(ctx, e);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void advance(ChannelHandlerContext ctx) throws Exception {
    Channel ch = ctx.channel();
    if (in.indexOf("<failure") >= 0 || in.indexOf("stream:error") >= 0
        || in.indexOf("type='error'") >= 0 && mode == Mode.LOGIN) {
      throw new IllegalStateException("server refused: " + in);
    }
    switch (step) {
      case FEATURES -> {
        if (take("</stream:features>")) {
          step = Step.PROCEED;
          send(ch, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        }
      }
      case PROCEED -> {
        if (take("<proceed")) {
          step = Step.TLS;
          SslHandler ssl = tls.newHandler(ch.alloc(), domain, 5222);
          ch.pipeline().addFirst("tls", ssl);
        }
      }
      case FEATURES_TLS -> {
        if (take("features>")) {
          if (mode == Mode.REGISTER) {
            step = Step.REGISTERED;
            send(ch, "<iq xmlns='jabber:client' type='set' id='reg1'><query xmlns='jabber:iq:register'><username>" + user
                + "</username><password>" + password + "</password></query></iq>");
          } else {
            step = Step.CHALLENGE;
            scram = new ScramClient("SHA-1", user, password, null, new byte[0], null);
            send(ch, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>"
                + b64(scram.clientFirst()) + "</auth>");
          }
        }
      }
      case CHALLENGE -> {
        String text = element("challenge");
        if (text != null) {
          step = Step.SUCCESS;
          send(ch, "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
              + b64(scram.clientFinal(unb64(text))) + "</response>");
        }
      }
      case SUCCESS -> {
        if (take("<success")) {
          in.setLength(0);
          step = Step.FEATURES_AUTH;
          openStream(ch); // RFC 6120 §6.4.6: restart
        }
      }
      case FEATURES_AUTH -> {
        if (take("features>")) {
          step = Step.BOUND;
          send(ch, "<iq xmlns='jabber:client' type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
              + "<resource>" + resource + "</resource></bind></iq>");
        }
      }
      case BOUND -> {
        if (take("</iq>")) {
          step = Step.DONE;
          send(ch, "<presence xmlns='jabber:client'/>");
          in = new StringBuilder(0); // idle from now on: keep nothing
          done.complete(System.nanoTime() - started);
        }
      }
      case REGISTERED -> {
        if (in.indexOf("id='reg1'") >= 0 && (in.indexOf("/>") >= 0 || in.indexOf("</iq>") >= 0)) {
          step = Step.DONE;
          // an existing account (conflict) is as good as a new one for a load run
          done.complete(System.nanoTime() - started);
          ch.close();
        }
      }
      default -> in.setLength(0);
    }
  }

  /** True once {@code marker} has arrived; drops everything up to it. */
  private boolean take(String marker) {
    int at = in.indexOf(marker);
    if (at < 0) {
      return false;
    }
    in.delete(0, at + marker.length());
    return true;
  }

  /** The text of a complete {@code <name …>text</name>}, or null if it has not arrived. */
  private String element(String name) {
    int start = in.indexOf("<" + name);
    int end = in.indexOf("</" + name + ">");
    if (start < 0 || end < 0) {
      return null;
    }
    String text = in.substring(in.indexOf(">", start) + 1, end);
    in.delete(0, end + name.length() + 3);
    return text;
  }

  private void openStream(Channel ch) {
    send(ch, String.format(webSocket ? OPEN : HEADER, domain));
  }

  private void send(Channel ch, String xml) {
    ch.writeAndFlush(webSocket ? new TextWebSocketFrame(xml)
        : ByteBufUtil.writeUtf8(ch.alloc(), xml));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s.strip()), StandardCharsets.UTF_8);
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    done.completeExceptionally(cause);
    ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!done.isDone()) {
      done.completeExceptionally(new IllegalStateException("closed by the server in " + step
          + "; it sent: " + in));
    }
    super.channelInactive(ctx);
  }
}
