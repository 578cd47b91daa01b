package dev.tern.edge.pep;

import dev.tern.xmpp.xml.XmlElement;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What PEP needs outside the edge: a router holds the nodes and XEP-0060's logic. A router's
 * refusal fails the stage with an {@code EdgeMessaging.Refused}, whose stanza error (with
 * XEP-0060's application condition) answers the IQ.
 */
public interface PepClient {

  /**
   * The XEP-0060 request {@code pubsub} (the IQ's child) of {@code fromFull} to the service of
   * {@code ownerBare}, an IQ of {@code type}: the result's child, if any.
   */
  CompletionStage<Optional<XmlElement>> request(String fromFull, String ownerBare, String type,
      XmlElement pubsub);

  /**
   * XEP-0163 §4.3.3: the session {@code fullJid} is available and wants the last item of each
   * of {@code nodes} (its {@code +notify}) from the services it may read; they come to it as
   * passing stanzas.
   */
  CompletionStage<Void> last(String fullJid, Collection<String> nodes);
}
