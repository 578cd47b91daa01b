package dev.tern.edge.iq;

import dev.tern.xmpp.xml.XmlElement;
import java.util.concurrent.CompletionStage;

/**
 * Answers IQs. A handler declares what it takes in {@link #registration()}; the registry routes
 * to it and builds disco#info from every registration, so advertised features never drift from
 * what is handled.
 */
public interface IqHandler {

  IqRegistration registration();

  /**
   * Returns the payload of the {@code result} (or empty for an empty result), or fails with an
   * {@link IqError} that becomes the stanza error reply.
   */
  CompletionStage<java.util.Optional<XmlElement>> handle(IqRequest request);
}
