package dev.tern.edge.session;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.EdgeConfig;
import dev.tern.edge.iq.IqRegistry;
import dev.tern.edge.sasl.SaslMechanisms;
import dev.tern.edge.bearer.BearerTokens;
import dev.tern.edge.bind2.Bind2Resources;
import dev.tern.edge.im.EdgeMessaging;
import dev.tern.edge.roster.EdgeRoster;
import dev.tern.edge.fast.FastTokens;
import dev.tern.edge.sm.Resumption;
import dev.tern.xmpp.xml.XmlLimits;
import io.netty.handler.ssl.SslContext;

/** What every session of one edge shares. */
public final class EdgeServices {

  private final EdgeConfig config;
  private final SslContext tls;
  private final SaslMechanisms sasl;
  private final IqRegistry iqs;
  private final LocalSessions sessions = new LocalSessions();
  private final ConnectionLimiter limiter;
  private final SessionListener listener;
  private final XmlLimits xmlLimits;
  private final Resumption resumption;
  private final FastTokens fast;
  private final Bind2Resources bind2;
  private final BearerTokens bearer;
  private final EdgeMessaging messaging;
  private final EdgeRoster roster;

  public EdgeServices(EdgeConfig config, SslContext tls, SaslMechanisms sasl, IqRegistry iqs,
      Resumption resumption, FastTokens fast, Bind2Resources bind2, BearerTokens bearer,
      EdgeMessaging messaging, SessionListener listener, EdgeRoster roster) {
    this.messaging = requireNonNull(messaging, "messaging");
    this.roster = requireNonNull(roster, "roster");
    this.bearer = requireNonNull(bearer, "bearer");
    this.resumption = requireNonNull(resumption, "resumption");
    this.fast = requireNonNull(fast, "fast");
    this.bind2 = requireNonNull(bind2, "bind2");
    this.config = requireNonNull(config, "config");
    this.tls = requireNonNull(tls, "tls");
    this.sasl = requireNonNull(sasl, "sasl");
    this.iqs = requireNonNull(iqs, "iqs");
    this.listener = requireNonNull(listener, "listener");
    this.limiter = new ConnectionLimiter(config.limits().maxUnauthenticatedPerIp());
    EdgeConfig.Limits l = config.limits();
    this.xmlLimits = new XmlLimits(l.maxStanzaBytes(), l.maxDepth(), l.maxAttributes(),
        XmlLimits.DEFAULTS.maxAttributeValueBytes());
  }

  public EdgeConfig config() {
    return config;
  }

  public SslContext tls() {
    return tls;
  }

  SaslMechanisms sasl() {
    return sasl;
  }

  IqRegistry iqs() {
    return iqs;
  }

  public LocalSessions sessions() {
    return sessions;
  }

  ConnectionLimiter limiter() {
    return limiter;
  }

  SessionListener listener() {
    return listener;
  }

  Resumption resumption() {
    return resumption;
  }

  FastTokens fast() {
    return fast;
  }

  Bind2Resources bind2() {
    return bind2;
  }

  EdgeMessaging messaging() {
    return messaging;
  }

  EdgeRoster roster() {
    return roster;
  }

  public BearerTokens bearer() {
    return bearer;
  }

  public XmlLimits xmlLimits() {
    return xmlLimits;
  }
}
