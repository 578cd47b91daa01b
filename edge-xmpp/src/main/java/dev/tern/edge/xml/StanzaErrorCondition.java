package dev.tern.edge.xml;

import static dev.tern.edge.xml.StanzaErrorType.AUTH;
import static dev.tern.edge.xml.StanzaErrorType.CANCEL;
import static dev.tern.edge.xml.StanzaErrorType.MODIFY;
import static dev.tern.edge.xml.StanzaErrorType.WAIT;

import java.util.Locale;

/** The stanza error conditions of RFC 6120 §8.3.3, each with the type that section gives it. */
public enum StanzaErrorCondition {
  BAD_REQUEST(MODIFY),
  CONFLICT(CANCEL),
  FEATURE_NOT_IMPLEMENTED(CANCEL),
  FORBIDDEN(AUTH),
  GONE(CANCEL),
  INTERNAL_SERVER_ERROR(CANCEL),
  ITEM_NOT_FOUND(CANCEL),
  JID_MALFORMED(MODIFY),
  NOT_ACCEPTABLE(MODIFY),
  NOT_ALLOWED(CANCEL),
  NOT_AUTHORIZED(AUTH),
  POLICY_VIOLATION(MODIFY),
  RECIPIENT_UNAVAILABLE(WAIT),
  REDIRECT(MODIFY),
  REGISTRATION_REQUIRED(AUTH),
  REMOTE_SERVER_NOT_FOUND(CANCEL),
  REMOTE_SERVER_TIMEOUT(WAIT),
  RESOURCE_CONSTRAINT(WAIT),
  SERVICE_UNAVAILABLE(CANCEL),
  SUBSCRIPTION_REQUIRED(AUTH),
  UNDEFINED_CONDITION(MODIFY),
  UNEXPECTED_REQUEST(WAIT);

  public static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-stanzas";

  private final StanzaErrorType type;

  StanzaErrorCondition(StanzaErrorType type) {
    this.type = type;
  }

  public StanzaErrorType defaultType() {
    return type;
  }

  public String elementName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** {@code <error type='…'><condition/><text/></error>} (RFC 6120 §8.3.2). */
  public XmlElement toErrorElement(String namespace, String text) {
    XmlElement.Builder error = XmlElement.builder("error", namespace)
        .attribute("type", type.wireName())
        .child(XmlElement.builder(elementName(), NAMESPACE).build());
    if (!text.isEmpty()) {
      error.child(XmlElement.builder("text", NAMESPACE).attribute("xml:lang", "en").text(text).build());
    }
    return error.build();
  }

  /**
   * The error reply to {@code stanza} (RFC 6120 §8.3.1): same kind and id, type {@code error},
   * {@code to} and {@code from} swapped, the original payload kept, the error appended.
   */
  public static XmlElement errorReply(XmlElement stanza, StanzaErrorCondition condition, String text) {
    XmlElement.Builder reply = XmlElement.builder(stanza.name(), stanza.namespace());
    stanza.attribute("id").ifPresent(id -> reply.attribute("id", id));
    stanza.attribute("from").ifPresent(from -> reply.attribute("to", from));
    stanza.attribute("to").ifPresent(to -> reply.attribute("from", to));
    reply.attribute("type", "error");
    for (XmlNode child : stanza.children()) {
      if (!(child instanceof XmlElement e && e.name().equals("error"))) {
        reply.child(child);
      }
    }
    reply.child(condition.toErrorElement(stanza.namespace(), text));
    return reply.build();
  }
}
