package dev.tern.edge.xml;

import static java.util.Objects.requireNonNull;

/** A condition that ends the stream with a stream error (RFC 6120 §4.9). */
public final class StreamErrorException extends Exception {

  private final StreamErrorCondition condition;
  private final String text;

  public StreamErrorException(StreamErrorCondition condition, String text) {
    super(condition.elementName() + (text.isEmpty() ? "" : ": " + text), null, false, false);
    this.condition = requireNonNull(condition, "condition");
    this.text = requireNonNull(text, "text");
  }

  public StreamErrorCondition condition() {
    return condition;
  }

  public String text() {
    return text;
  }
}
