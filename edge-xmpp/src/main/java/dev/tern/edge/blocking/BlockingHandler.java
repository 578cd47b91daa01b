package dev.tern.edge.blocking;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlNamespaces;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0191 §3.2-3.5: a user reads its block list, blocks and unblocks JIDs (unblocking none
 * unblocks all). After a change, every session of the user gets the change as an IQ-set push.
 * XEP-0191 pushes only to the resources that requested the block list; Tern pushes to all of
 * them, which a client that never asked answers with an error the server ignores.
 *
 * <p>One handler per payload ({@code blocklist} get, {@code block} and {@code unblock} set) and
 * addressing: no 'to' or the domain, as the XEP's examples, and the user's own bare JID. The
 * server's disco#info advertises {@code urn:xmpp:blocking} (§3.1).
 */
public final class BlockingHandler implements IqHandler {

  public static final String NAMESPACE = "urn:xmpp:blocking";

  /** The most items one block or unblock may carry. */
  public static final int MAX_ITEMS_PER_REQUEST = 500;

  private final String element;
  private final IqRegistration.Addressing addressing;
  private final BlockingClient client;

  private BlockingHandler(String element, IqRegistration.Addressing addressing,
      BlockingClient client) {
    this.element = element;
    this.addressing = addressing;
    this.client = requireNonNull(client, "client");
  }

  /** Every handler of XEP-0191, to register each. */
  public static List<IqHandler> all(BlockingClient client) {
    List<IqHandler> out = new ArrayList<>();
    for (IqRegistration.Addressing a : List.of(IqRegistration.Addressing.SERVER,
        IqRegistration.Addressing.OWN_ACCOUNT)) {
      for (String element : List.of("blocklist", "block", "unblock")) {
        out.add(new BlockingHandler(element, a, client));
      }
    }
    return out;
  }

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of(element.equals("blocklist") ? "get" : "set"), element,
        NAMESPACE, addressing, false,
        addressing == IqRegistration.Addressing.SERVER ? List.of(NAMESPACE) : List.of());
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    String user = request.sender()
        .orElseThrow(() -> new IqError(StanzaErrorCondition.NOT_AUTHORIZED, "")).bare().toString();
    return switch (element) {
      case "blocklist" -> client.blocklist(user).thenApply(jids -> Optional.of(
          withItems(XmlElement.builder("blocklist", NAMESPACE), jids.stream().sorted().toList())));
      case "block" -> {
        List<String> jids = items(request.payload());
        if (jids.isEmpty()) {
          throw new IqError(StanzaErrorCondition.BAD_REQUEST, "block at least one JID");
        }
        yield client.block(user, jids).thenApply(v -> pushed(user, "block", jids));
      }
      default -> {
        List<String> jids = items(request.payload());
        yield client.unblock(user, jids).thenApply(v -> pushed(user, "unblock", jids));
      }
    };
  }

  /** The items' JIDs, canonical and each once; a malformed one fails the whole request. */
  static List<String> items(XmlElement payload) {
    Set<String> jids = new LinkedHashSet<>();
    for (XmlElement item : payload.elements()) {
      if (!item.name().equals("item") || !item.namespace().equals(NAMESPACE)) {
        continue;
      }
      String jid = item.attribute("jid")
          .orElseThrow(() -> new IqError(StanzaErrorCondition.BAD_REQUEST, "an item without 'jid'"));
      try {
        jids.add(Jid.parse(jid).toString());
      } catch (JidMalformedException e) {
        throw new IqError(StanzaErrorCondition.JID_MALFORMED, "not a JID: " + e.getMessage());
      }
      if (jids.size() > MAX_ITEMS_PER_REQUEST) {
        throw new IqError(StanzaErrorCondition.POLICY_VIOLATION,
            "at most " + MAX_ITEMS_PER_REQUEST + " items at once");
      }
    }
    return List.copyOf(jids);
  }

  private Optional<XmlElement> pushed(String user, String change, List<String> jids) {
    client.push(user, XmlElement.builder("iq", XmlNamespaces.CLIENT)
        .attribute("type", "set").attribute("id", "push-" + UUID.randomUUID())
        .attribute("to", user)
        .child(withItems(XmlElement.builder(change, NAMESPACE), jids))
        .build());
    return Optional.empty();
  }

  private static XmlElement withItems(XmlElement.Builder b, List<String> jids) {
    for (String jid : jids) {
      b.child(XmlElement.builder("item", NAMESPACE).attribute("jid", jid).build());
    }
    return b.build();
  }
}
