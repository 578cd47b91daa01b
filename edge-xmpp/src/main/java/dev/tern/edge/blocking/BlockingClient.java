package dev.tern.edge.blocking;

import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the block list IQs need outside the edge: the routers keep the lists, and the user's
 * sessions, wherever they are, get the pushes. A refusal fails the stage with an
 * {@link dev.tern.edge.iq.IqError}.
 */
public interface BlockingClient {

  /** The JIDs {@code user} (a bare JID) blocked, in no particular order. */
  CompletionStage<List<String>> blocklist(String user);

  /** Adds {@code jids} (canonical, at least one) to {@code user}'s list. */
  CompletionStage<Void> block(String user, List<String> jids);

  /** Removes {@code jids} (canonical) from {@code user}'s list; none: empties it. */
  CompletionStage<Void> unblock(String user, List<String> jids);

  /** Sends {@code iq} to every session of {@code user}, in any region. */
  void push(String user, XmlElement iq);
}
