package dev.tern.edge.mam;

import dev.tern.edge.iq.IqError;
import dev.tern.edge.iq.IqHandler;
import dev.tern.edge.iq.IqRegistration;
import dev.tern.edge.iq.IqRequest;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * XEP-0313 §6.1 archiving preferences, as Tern has them: every message of every chat is archived
 * (the chat's history is the message store itself), so the preferences are {@code default='always'}
 * with no exceptions. A get answers that; a set asking for it is answered with it (clients such as
 * Smack's {@code enableMamForAllMessages} set it before using the archive); a set asking for
 * anything else is {@code feature-not-implemented}, since it would not be honoured.
 */
public final class MamPrefsHandler implements IqHandler {

  @Override
  public IqRegistration registration() {
    return new IqRegistration(Set.of("get", "set"), "prefs", MamHandler.NAMESPACE,
        IqRegistration.Addressing.OWN_ACCOUNT, false, List.of());
  }

  @Override
  public CompletionStage<Optional<XmlElement>> handle(IqRequest request) {
    if (request.type().equals("set")) {
      XmlElement asked = request.payload();
      boolean always = asked.attribute("default").orElse("").equals("always");
      if (!always || hasJids(asked, "always") || hasJids(asked, "never")) {
        throw new IqError(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED,
            "every message is archived here: only default='always' without exceptions");
      }
    }
    return CompletableFuture.completedFuture(Optional.of(XmlElement.builder("prefs",
            MamHandler.NAMESPACE).attribute("default", "always")
        .child(XmlElement.builder("always", MamHandler.NAMESPACE).build())
        .child(XmlElement.builder("never", MamHandler.NAMESPACE).build())
        .build()));
  }

  private static boolean hasJids(XmlElement prefs, String list) {
    return prefs.child(list, MamHandler.NAMESPACE)
        .map(l -> l.elements().stream().anyMatch(e -> e.name().equals("jid"))).orElse(false);
  }
}
