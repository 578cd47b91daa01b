package dev.tern.edge.sm;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The elements of XEP-0198 in {@code urn:xmpp:sm:3}: the stream feature and the nonzas that
 * enable management, acknowledge stanzas and resume a stream. They are not stanzas and are
 * never counted (§1).
 */
public final class StreamManagement {

  public static final String NAMESPACE = "urn:xmpp:sm:3";

  private StreamManagement() {}

  /** One of the elements of this namespace, read from or written to the stream. */
  public sealed interface Nonza
      permits Feature, Enable, Enabled, Failed, Request, Ack, Resume, Resumed {

    XmlElement toElement();
  }

  /** §2: {@code <sm/>} in the stream features, offered once the client has authenticated. */
  public record Feature() implements Nonza {
    @Override
    public XmlElement toElement() {
      return XmlElement.builder("sm", NAMESPACE).build();
    }
  }

  /**
   * §3: the client asks for stream management.
   *
   * @param resume whether it wants the stream to be resumable (§5)
   * @param max its preferred resumption time in seconds
   */
  public record Enable(boolean resume, OptionalLong max) implements Nonza {
    public Enable {
      requireNonNull(max, "max");
    }

    @Override
    public XmlElement toElement() {
      XmlElement.Builder b = XmlElement.builder("enable", NAMESPACE);
      if (resume) {
        b.attribute("resume", "true");
      }
      max.ifPresent(m -> b.attribute("max", Long.toString(m)));
      return b.build();
    }
  }

  /**
   * §3, §5: the server has enabled stream management.
   *
   * @param id the SM-ID, which a resumable stream must carry
   * @param resume whether the stream may be resumed
   * @param max the resumption time the server grants, in seconds
   * @param location where the client should reconnect to resume, {@code host} or {@code host:port}
   */
  public record Enabled(Optional<String> id, boolean resume, OptionalLong max,
      Optional<String> location) implements Nonza {
    public Enabled {
      requireNonNull(id, "id");
      requireNonNull(max, "max");
      requireNonNull(location, "location");
      if (resume && id.isEmpty()) {
        throw new IllegalArgumentException("a resumable stream needs an id (XEP-0198 §5)");
      }
    }

    /** Acks only: the stream cannot be resumed. */
    public static Enabled withoutResumption() {
      return new Enabled(Optional.empty(), false, OptionalLong.empty(), Optional.empty());
    }

    @Override
    public XmlElement toElement() {
      XmlElement.Builder b = XmlElement.builder("enabled", NAMESPACE);
      id.ifPresent(i -> b.attribute("id", i));
      location.ifPresent(l -> b.attribute("location", l));
      if (resume) {
        b.attribute("resume", "true");
      }
      max.ifPresent(m -> b.attribute("max", Long.toString(m)));
      return b.build();
    }
  }

  /**
   * §6: enabling or resuming failed.
   *
   * @param h the server's count of stanzas handled from the client, when it still knows it
   * @param condition a stanza error condition (RFC 6120 §8.3.3) saying why
   */
  public record Failed(OptionalLong h, Optional<StanzaErrorCondition> condition) implements Nonza {
    public Failed {
      requireNonNull(h, "h");
      requireNonNull(condition, "condition");
      h.ifPresent(AckCounter::requireValid);
    }

    public static Failed of(StanzaErrorCondition condition) {
      return new Failed(OptionalLong.empty(), Optional.of(condition));
    }

    @Override
    public XmlElement toElement() {
      XmlElement.Builder b = XmlElement.builder("failed", NAMESPACE);
      h.ifPresent(v -> b.attribute("h", Long.toString(v)));
      condition.ifPresent(c ->
          b.child(XmlElement.builder(c.elementName(), StanzaErrorCondition.NAMESPACE).build()));
      return b.build();
    }
  }

  /** §4: {@code <r/>}, a request for an acknowledgement. */
  public record Request() implements Nonza {
    @Override
    public XmlElement toElement() {
      return XmlElement.builder("r", NAMESPACE).build();
    }
  }

  /** §4: {@code <a h='…'/>}, the count of stanzas handled so far. */
  public record Ack(long h) implements Nonza {
    public Ack {
      AckCounter.requireValid(h);
    }

    @Override
    public XmlElement toElement() {
      return XmlElement.builder("a", NAMESPACE).attribute("h", Long.toString(h)).build();
    }
  }

  /**
   * §5: the client asks to resume an earlier stream.
   *
   * @param previd the SM-ID of that stream
   * @param h the client's count of stanzas handled from the server on it
   */
  public record Resume(String previd, long h) implements Nonza {
    public Resume {
      requireNonNull(previd, "previd");
      AckCounter.requireValid(h);
    }

    @Override
    public XmlElement toElement() {
      return XmlElement.builder("resume", NAMESPACE).attribute("h", Long.toString(h))
          .attribute("previd", previd).build();
    }
  }

  /**
   * §5: the stream is resumed.
   *
   * @param previd the SM-ID of the resumed stream
   * @param h the server's count of stanzas handled from the client on it
   */
  public record Resumed(String previd, long h) implements Nonza {
    public Resumed {
      requireNonNull(previd, "previd");
      AckCounter.requireValid(h);
    }

    @Override
    public XmlElement toElement() {
      return XmlElement.builder("resumed", NAMESPACE).attribute("h", Long.toString(h))
          .attribute("previd", previd).build();
    }
  }

  /**
   * Reads an element of this namespace.
   *
   * @throws StreamErrorException {@code unsupported-stanza-type} for an element XEP-0198 does not
   *     define, {@code bad-format} for a missing or malformed attribute
   */
  public static Nonza parse(XmlElement e) throws StreamErrorException {
    requireNonNull(e, "e");
    if (!e.namespace().equals(NAMESPACE)) {
      throw new IllegalArgumentException("not in " + NAMESPACE + ": " + e.namespace());
    }
    return switch (e.name()) {
      case "sm" -> new Feature();
      case "enable" -> new Enable(bool(e, "resume"), optionalCount(e, "max"));
      case "enabled" -> parseEnabled(e);
      case "failed" -> new Failed(optionalCount(e, "h"), condition(e));
      case "r" -> new Request();
      case "a" -> new Ack(h(e));
      case "resume" -> new Resume(required(e, "previd"), h(e));
      case "resumed" -> new Resumed(required(e, "previd"), h(e));
      default -> throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "<" + e.name() + "/> is not an XEP-0198 element");
    };
  }

  private static Enabled parseEnabled(XmlElement e) throws StreamErrorException {
    boolean resume = bool(e, "resume");
    Optional<String> id = e.attribute("id");
    if (resume && id.isEmpty()) {
      throw badFormat(e, "a resumable stream needs an 'id'");
    }
    return new Enabled(id, resume, optionalCount(e, "max"), e.attribute("location"));
  }

  /**
   * §4: the stream error for an {@code h} that acknowledges more stanzas than were sent:
   * {@code <undefined-condition/>}, a text, and {@code <handled-count-too-high/>} with both counts.
   */
  public static XmlElement handledCountTooHigh(long h, long sendCount) {
    XmlElement error = StreamErrorCondition.UNDEFINED_CONDITION.toElement(
        "You acknowledged " + h + " stanzas, but I only sent you " + sendCount + " so far.");
    return error.toBuilder().child(XmlElement.builder("handled-count-too-high", NAMESPACE)
        .attribute("h", Long.toString(h))
        .attribute("send-count", Long.toString(sendCount))
        .build()).build();
  }

  private static long h(XmlElement e) throws StreamErrorException {
    OptionalLong h = optionalCount(e, "h");
    if (h.isEmpty()) {
      throw badFormat(e, "'h' is required");
    }
    return h.getAsLong();
  }

  private static OptionalLong optionalCount(XmlElement e, String name) throws StreamErrorException {
    Optional<String> value = e.attribute(name);
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(AckCounter.parse(value.get()));
    } catch (IllegalArgumentException ex) {
      throw badFormat(e, "'" + name + "' is not an unsigned 32-bit integer");
    }
  }

  private static String required(XmlElement e, String name) throws StreamErrorException {
    Optional<String> value = e.attribute(name);
    if (value.isEmpty() || value.get().isEmpty()) {
      throw badFormat(e, "'" + name + "' is required");
    }
    return value.get();
  }

  /** An XML Schema boolean, false when absent. */
  private static boolean bool(XmlElement e, String name) throws StreamErrorException {
    String value = e.attribute(name).map(String::strip).orElse("false");
    return switch (value) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw badFormat(e, "'" + name + "' is not a boolean");
    };
  }

  private static Optional<StanzaErrorCondition> condition(XmlElement failed) {
    for (XmlElement child : failed.elements()) {
      if (child.namespace().equals(StanzaErrorCondition.NAMESPACE)) {
        for (StanzaErrorCondition c : StanzaErrorCondition.values()) {
          if (c.elementName().equals(child.name())) {
            return Optional.of(c);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static StreamErrorException badFormat(XmlElement e, String why) {
    return new StreamErrorException(StreamErrorCondition.BAD_FORMAT,
        "<" + e.name() + " xmlns='" + NAMESPACE + "'>: " + why);
  }
}
