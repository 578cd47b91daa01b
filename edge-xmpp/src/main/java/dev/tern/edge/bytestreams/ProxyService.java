package dev.tern.edge.bytestreams;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.HostedService;
import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The bytestreams proxy as an XMPP entity (XEP-0065 §4, §6.3.5), at {@code proxy.<domain>}:
 * tells a user where to connect ({@code <streamhost/>}) and activates a bytestream for its
 * initiator. The hash of the activated bytestream is computed from the initiator's full JID as
 * this server stamped it, so only the initiator can activate its bytestream.
 */
public final class ProxyService implements HostedService {

  public static final String NAMESPACE = "http://jabber.org/protocol/bytestreams";

  private final String address;
  private final String host;
  private final int port;
  private final Bytestreams bytestreams;

  /**
   * @param address the proxy's JID, e.g. {@code proxy.localhost}
   * @param host the host clients connect to (a name or an address they can reach)
   * @param port the port of the proxy's SOCKS5 listener
   */
  public ProxyService(String address, String host, int port, Bytestreams bytestreams) {
    this.address = requireNonNull(address, "address");
    this.host = requireNonNull(host, "host");
    this.port = port;
    this.bytestreams = requireNonNull(bytestreams, "bytestreams");
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public String name() {
    return "SOCKS5 Bytestreams Service";
  }

  @Override
  public IqRegistration.Identity identity() {
    return new IqRegistration.Identity("proxy", "bytestreams");
  }

  @Override
  public List<String> features() {
    return List.of(NAMESPACE);
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    XmlElement query = request.payload();
    if (!query.name().equals("query") || !query.namespace().equals(NAMESPACE)) {
      throw new IqError(StanzaErrorCondition.SERVICE_UNAVAILABLE, "");
    }
    if (request.type().equals("get")) {
      // §4: where to connect
      return CompletableFuture.completedFuture(Optional.of(XmlElement.builder("query", NAMESPACE)
          .child(XmlElement.builder("streamhost", NAMESPACE).attribute("jid", address)
              .attribute("host", host).attribute("port", Integer.toString(port)).build())
          .build()));
    }
    return CompletableFuture.completedFuture(activate(request, query));
  }

  /** §6.3.5: the initiator, connected, asks to start relaying to the target it names. */
  private Optional<XmlElement> activate(IqRequest request, XmlElement query) {
    String sid = query.attribute("sid").orElse("");
    Optional<XmlElement> activate = query.child("activate", NAMESPACE);
    if (sid.isEmpty() || activate.isEmpty()) {
      throw new IqError(StanzaErrorCondition.BAD_REQUEST, "activate needs a sid and a target");
    }
    Jid target;
    try {
      target = Jid.parse(activate.get().text().strip());
    } catch (JidMalformedException e) {
      throw new IqError(StanzaErrorCondition.JID_MALFORMED, "the target is not a JID");
    }
    Jid initiator = request.sender().orElseThrow();
    switch (bytestreams.activate(hash(sid, initiator, target))) {
      case ACTIVATED:
        return Optional.empty();
      case TARGET_ONLY:
        throw new IqError(StanzaErrorCondition.NOT_ALLOWED,
            "the initiator (you) is not connected to the proxy");
      case ALREADY:
        throw new IqError(StanzaErrorCondition.NOT_ALLOWED, "the bytestream is already active");
      default:
        throw new IqError(StanzaErrorCondition.NOT_ALLOWED,
            "neither party is connected to the proxy with this bytestream");
    }
  }

  /** §5.3.2: SHA-1 of SID + initiator's JID + target's JID, in lower-case hex. */
  public static String hash(String sid, Jid initiator, Jid target) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha1.digest(
          (sid + initiator + target).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
