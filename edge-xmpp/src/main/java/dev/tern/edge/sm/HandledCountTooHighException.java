package dev.tern.edge.sm;

import dev.tern.xmpp.xml.XmlElement;

/**
 * The client acknowledged more stanzas than it was sent (XEP-0198 §4): the stream must end with
 * {@link #streamError()}.
 */
public final class HandledCountTooHighException extends Exception {

  private final long h;
  private final long sendCount;

  public HandledCountTooHighException(long h, long sendCount) {
    super("acknowledged " + h + " stanzas, only " + sendCount + " were sent", null, false, false);
    this.h = h;
    this.sendCount = sendCount;
  }

  /** The {@code h} the client sent. */
  public long h() {
    return h;
  }

  /** The stanzas sent so far, as an {@code h}. */
  public long sendCount() {
    return sendCount;
  }

  /** {@code <stream:error>} with {@code <undefined-condition/>} and {@code <handled-count-too-high/>}. */
  public XmlElement streamError() {
    return StreamManagement.handledCountTooHigh(h, sendCount);
  }
}
