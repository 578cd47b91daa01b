package dev.tern.routing.mam;

import static java.util.Objects.requireNonNull;

/** A query the archive refuses, named by the stanza error it becomes (XEP-0313 §4). */
public final class MamFailure extends RuntimeException {

  /** Why a query was refused. */
  public enum Reason {
    /** An after-id, before-id, RSM after or RSM before names no message of the archive. */
    ITEM_NOT_FOUND,
    /** The query makes no sense (e.g. two directions at once). */
    BAD_REQUEST,
  }

  private final Reason reason;

  public MamFailure(Reason reason, String text) {
    super(text, null, false, false);
    this.reason = requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
