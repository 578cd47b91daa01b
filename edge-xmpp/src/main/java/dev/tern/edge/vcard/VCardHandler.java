package dev.tern.edge.vcard;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.routing.vcard.VCardWire;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0054 §3: a user reads its own vCard (a get with no 'to', or to its own bare JID), sets it
 * (replaced whole, §3.2), and reads another user's (a get to that user's bare JID, answered by
 * the server, never passed to the user's resources; vCards are public). The server's disco#info
 * and the account's advertise {@code vcard-temp}.
 *
 * <ul>
 *   <li>No vCard is answered with an empty {@code <vCard xmlns='vcard-temp'/>}, not
 *       {@code item-not-found}: §3.1 allows either, and an empty one is what clients take for
 *       "nothing set yet" (Smack 4.5's {@code VCardManager.loadVCard} throws on the error, as do
 *       bots that fetch a profile right after registering; ejabberd answers empty too).
 *   <li>A vCard larger than {@link VCardWire#MAX_BYTES} (64 KiB serialized) is refused with
 *       {@code not-acceptable} (modify: the request can be changed to fit, RFC 6120 §8.3.3.9),
 *       and the stored one stays.
 *   <li>A set of another user's vCard, or of the server's, is {@code forbidden}; the server has
 *       no vCard of its own, so a get to the domain is answered with an empty one.
 *   <li>Reading another user's vCard honours XEP-0191: one blocked by its owner gets
 *       {@code service-unavailable}, one who blocked the owner {@code not-acceptable} with
 *       {@code <blocked/>}, the errors of any IQ between the two; an account that does not exist
 *       is {@code service-unavailable} (RFC 6121 §8.5.1). The router decides.
 * </ul>
 */
public final class VCardHandler implements IqHandler {

  public static final String NAMESPACE = "vcard-temp";
  public static final String ELEMENT = "vCard";

  private final IqRegistration.Addressing addressing;
  private final VCardClient client;

  private VCardHandler(IqRegistration.Addressing addressing, VCardClient client) {
    this.addressing = addressing;
    this.client = requireNonNull(client, "client");
  }

  /** Every handler of XEP-0054, one per addressing, to register each. */
  public static List<IqHandler> all(VCardClient client) {
    List<IqHandler> out = new ArrayList<>();
    for (IqRegistration.Addressing a : IqRegistration.Addressing.values()) {
      out.add(new VCardHandler(a, client));
    }
    return out;
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get", "set"), ELEMENT, NAMESPACE, addressing, false,
        addressing == IqRegistration.Addressing.OTHER_USER ? List.of() : List.of(NAMESPACE));
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    Jid sender = request.sender()
        .orElseThrow(() -> new IqError(StanzaErrorCondition.NOT_AUTHORIZED, ""));
    Optional<String> to = request.iq().attribute("to");
    Jid owner = switch (addressing) {
      case OWN_ACCOUNT -> sender.bare();
      case SERVER -> {
        if (to.isPresent()) { // the domain itself: the server's vCard, which it has not
          if (request.type().equals("set")) {
            throw new IqError(StanzaErrorCondition.FORBIDDEN, "the server's vCard is not set");
          }
          yield null;
        }
        yield sender.bare(); // no 'to': the account itself (RFC 6120 §10.3.3)
      }
      case OTHER_USER -> bare(to.orElseThrow());
    };
    if (owner == null) {
      return CompletableFuture.completedFuture(Optional.of(empty()));
    }
    if (request.type().equals("set")) {
      if (!owner.equals(sender.bare())) {
        throw new IqError(StanzaErrorCondition.FORBIDDEN, "a user sets its own vCard only");
      }
      String xml = Xml.serialize(request.payload());
      if (Xml.utf8Length(xml) > VCardWire.MAX_BYTES) {
        throw new IqError(StanzaErrorCondition.NOT_ACCEPTABLE,
            "a vCard of at most " + VCardWire.MAX_BYTES / 1024 + " KiB");
      }
      return client.set(owner.toString(), xml).thenApply(v -> Optional.empty());
    }
    return client.vcard(sender.toString(), owner.toString())
        .thenApply(xml -> Optional.of(xml.map(Xml::parse).orElseGet(VCardHandler::empty)));
  }

  /** The bare JID of an addressee the dispatcher has already parsed. */
  private static Jid bare(String to) {
    try {
      return Jid.parse(to).bare();
    } catch (JidMalformedException e) {
      throw new IqError(StanzaErrorCondition.JID_MALFORMED, "");
    }
  }

  /** XEP-0054 §3.1: the answer when no vCard was set. */
  static XmlElement empty() {
    return XmlElement.builder(ELEMENT, NAMESPACE).build();
  }
}
