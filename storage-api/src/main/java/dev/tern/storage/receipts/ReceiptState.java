package dev.tern.storage.receipts;

/**
 * How far a message got, in the order it only ever moves: stored by the server ({@link #SENT}),
 * received by a device of the recipient (XEP-0184 receipt or XEP-0333 {@code received}), shown
 * to the recipient (XEP-0333 {@code displayed}), acted upon (XEP-0333 {@code acknowledged}).
 * Each state implies those before it.
 */
public enum ReceiptState {
  SENT,
  DELIVERED,
  DISPLAYED,
  ACKNOWLEDGED;

  /** The name used on the wire and in the status query: {@code sent}, {@code delivered}… */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
