package dev.tern.edge.vcard;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the vCard IQs need outside the edge: the routers keep the vCards. A refusal (blocking, an
 * unknown account, a vCard too large) fails the stage with an
 * {@link dev.tern.edge.im.EdgeMessaging.Refused}, answered as the stanza error it names.
 */
public interface VCardClient {

  /**
   * {@code owner}'s vCard (a bare JID) as {@code requester} (a full JID) may read it: its XML, or
   * empty when the owner set none.
   */
  CompletionStage<Optional<String>> vcard(String requester, String owner);

  /** Sets {@code user}'s vCard (a bare JID, the requester's own) to {@code xml}, whole. */
  CompletionStage<Void> set(String user, String xml);
}
