package dev.tern.router.blocking;

import dev.tern.routing.Refusal;
import java.util.Optional;

/** Whether a stanza may pass between two users, by their block lists (XEP-0191 §3.3). */
public enum Verdict {
  /** Neither blocked the other. */
  ALLOWED,
  /**
   * The sender blocked the recipient: the sender's server "MUST NOT route the stanza" and returns
   * {@code <not-acceptable/>} with {@code <blocked xmlns='urn:xmpp:blocking:errors'/>}, of type
   * cancel as in XEP-0191 Example 9.
   */
  BLOCKED_BY_SENDER,
  /**
   * The recipient blocked the sender: nothing is delivered, and a message or an IQ get/set is
   * answered with {@code <service-unavailable/>}, so that the recipient appears offline.
   * (Presence gets no answer at all, and IQ results and errors are dropped; both are the
   * presence and IQ code's to do.)
   */
  BLOCKED_BY_RECIPIENT;

  /** The application-specific condition of XEP-0191 §3.3 (its namespace is registered in §9.1). */
  public static final String BLOCKED = "{urn:xmpp:blocking:errors}blocked";

  /** The stanza error the sender gets, none when allowed. */
  public Optional<Refusal> refusal() {
    return switch (this) {
      case ALLOWED -> Optional.empty();
      case BLOCKED_BY_SENDER ->
          Optional.of(new Refusal("not-acceptable", "cancel", Optional.of(BLOCKED)));
      case BLOCKED_BY_RECIPIENT -> Optional.of(Refusal.of("service-unavailable", "cancel"));
    };
  }
}
