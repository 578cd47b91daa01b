package dev.tern.router.pep;

import dev.tern.routing.Refusal;
import java.util.Optional;

/** A PEP request refused with a stanza error of XEP-0060, rather than failed. */
final class PepRefused extends RuntimeException {

  final Refusal refusal;

  PepRefused(Refusal refusal) {
    super(refusal.condition(), null, false, false);
    this.refusal = refusal;
  }

  /** A defined condition with XEP-0060's application condition {@code pubsubError}. */
  static PepRefused of(String condition, String type, String pubsubError) {
    return new PepRefused(new Refusal(condition, type,
        Optional.of("{" + Pubsub.ERRORS + "}" + pubsubError)));
  }

  static PepRefused of(String condition, String type) {
    return new PepRefused(Refusal.of(condition, type));
  }

  /** XEP-0060 §7.1.3.6 and friends: the request lacks what it needs. */
  static PepRefused badRequest(String pubsubError) {
    return of("bad-request", "modify", pubsubError);
  }

  /** XEP-0060 §6.5.9: no such node (or item). */
  static PepRefused itemNotFound() {
    return of("item-not-found", "cancel");
  }
}
