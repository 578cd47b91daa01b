package dev.tern.edge.session;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.EdgeConfig;
import dev.tern.edge.bearer.BearerTokens;
import dev.tern.edge.bind2.Bind2Resources;
import dev.tern.edge.fast.FastTokens;
import dev.tern.edge.iq.IqDispatcher;
import dev.tern.edge.sasl.SaslMechanisms;
import dev.tern.xmpp.xml.XmlLimits;
import dev.tern.storage.accounts.AccountStore;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every session of one edge shares: the negotiation's parts (TLS, SASL, FAST, Bind 2), the
 * feature modules and the IQ dispatcher, the sessions bound here, limits and metrics.
 */
public final class EdgeServices {

  private static final Logger log = LoggerFactory.getLogger(PreAuthentication.class);

  private final EdgeConfig config;
  private final SslContext tls;
  private final SaslMechanisms sasl;
  private final IqDispatcher iqs;
  private final ModuleRegistry modules;
  private final LocalSessions sessions;
  private final ConnectionRate connectionRate;
  private final ConnectionRate registrationsPerIp;
  private final ConnectionRate registrations;
  private final RefusalLog registrationRefusals;
  private final RefusalLog refusals;
  private final SessionListener listener;
  private final XmlLimits xmlLimits;
  private final FastTokens fast;
  private final Bind2Resources bind2;
  private final BearerTokens bearer;

  /** The one key of the edge-wide registration rate. */
  private static final InetAddress EVERYONE = InetAddress.getLoopbackAddress();

  public EdgeServices(EdgeConfig config, SslContext tls, SaslMechanisms sasl, IqDispatcher iqs,
      ModuleRegistry modules, LocalSessions sessions, FastTokens fast, Bind2Resources bind2,
      BearerTokens bearer, SessionListener listener) {
    this.config = requireNonNull(config, "config");
    this.tls = requireNonNull(tls, "tls");
    this.sasl = requireNonNull(sasl, "sasl");
    this.iqs = requireNonNull(iqs, "iqs");
    this.modules = requireNonNull(modules, "modules");
    this.sessions = requireNonNull(sessions, "sessions");
    this.fast = requireNonNull(fast, "fast");
    this.bind2 = requireNonNull(bind2, "bind2");
    this.bearer = requireNonNull(bearer, "bearer");
    this.listener = requireNonNull(listener, "listener");
    EdgeConfig.Limits l = config.limits();
    this.connectionRate = new ConnectionRate(l.connectionRatePerIp(), l.connectionBurstPerIp());
    this.refusals = new RefusalLog(log, "a new connection", "over xmpp.limits.connectionRatePerIp ("
        + l.connectionRatePerIp() + "/s, burst " + l.connectionBurstPerIp() + ")",
        Duration.ofSeconds(10), System::nanoTime);
    this.registrationsPerIp = new ConnectionRate(l.registrationsPerIpPerHour() / 3600.0,
        l.registrationsPerIpPerHour());
    this.registrations = new ConnectionRate(l.registrationsPerSecond(),
        10 * l.registrationsPerSecond());
    this.registrationRefusals = new RefusalLog(log, "an in-band registration",
        "over xmpp.limits.registrationsPerIpPerHour (" + l.registrationsPerIpPerHour()
            + ") or registrationsPerSecond (" + l.registrationsPerSecond() + ")",
        Duration.ofSeconds(10), System::nanoTime);
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

  /** The domain's accounts (what SASL and bearer tokens authenticate against). */
  public AccountStore accounts() {
    return sasl.accounts();
  }

  IqDispatcher iqs() {
    return iqs;
  }

  ModuleRegistry modules() {
    return modules;
  }

  public LocalSessions sessions() {
    return sessions;
  }

  ConnectionRate connectionRate() {
    return connectionRate;
  }

  RefusalLog refusals() {
    return refusals;
  }

  /**
   * Takes an in-band registration from {@code address} into its address's rate and the edge's;
   * false (and logged at a readable rate) if either is spent.
   */
  boolean registrationAdmitted(InetAddress address) {
    if (registrationsPerIp.admit(address) && registrations.admit(EVERYONE)) {
      return true;
    }
    registrationRefusals.refused(address);
    return false;
  }

  SessionListener listener() {
    return listener;
  }

  FastTokens fast() {
    return fast;
  }

  Bind2Resources bind2() {
    return bind2;
  }

  public BearerTokens bearer() {
    return bearer;
  }

  public XmlLimits xmlLimits() {
    return xmlLimits;
  }
}
