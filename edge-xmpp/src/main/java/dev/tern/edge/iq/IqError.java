package dev.tern.edge.iq;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.xml.StanzaErrorCondition;

/** A handler's refusal, answered as the IQ's stanza error (RFC 6120 §8.3). */
public final class IqError extends RuntimeException {

  private final StanzaErrorCondition condition;

  public IqError(StanzaErrorCondition condition, String text) {
    super(text, null, false, false);
    this.condition = requireNonNull(condition, "condition");
  }

  public StanzaErrorCondition condition() {
    return condition;
  }
}
