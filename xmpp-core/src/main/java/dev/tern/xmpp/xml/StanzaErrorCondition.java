package dev.tern.xmpp.xml;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The defined conditions of stanza errors (RFC 6120 §8.3.3), each with the error type that
 * section gives it (for the conditions where it allows two, the one its example uses).
 */
public enum StanzaErrorCondition {
  /** §8.3.3.1: the request is malformed. */
  BAD_REQUEST("bad-request", StanzaErrorType.MODIFY),
  /** §8.3.3.2: a resource or session with this name already exists. */
  CONFLICT("conflict", StanzaErrorType.CANCEL),
  /** §8.3.3.3: the feature is not implemented by the recipient. */
  FEATURE_NOT_IMPLEMENTED("feature-not-implemented", StanzaErrorType.CANCEL),
  /** §8.3.3.4: the requester lacks the permissions. */
  FORBIDDEN("forbidden", StanzaErrorType.AUTH),
  /** §8.3.3.5: the recipient is no longer at this address. */
  GONE("gone", StanzaErrorType.CANCEL),
  /** §8.3.3.6: a fault of the server. */
  INTERNAL_SERVER_ERROR("internal-server-error", StanzaErrorType.CANCEL),
  /** §8.3.3.7: the addressed JID or item does not exist. */
  ITEM_NOT_FOUND("item-not-found", StanzaErrorType.CANCEL),
  /** §8.3.3.8: a JID that violates the address format (RFC 7622). */
  JID_MALFORMED("jid-malformed", StanzaErrorType.MODIFY),
  /** §8.3.3.9: the request does not meet the recipient's criteria. */
  NOT_ACCEPTABLE("not-acceptable", StanzaErrorType.MODIFY),
  /** §8.3.3.10: no entity may perform this action. */
  NOT_ALLOWED("not-allowed", StanzaErrorType.CANCEL),
  /** §8.3.3.11: the sender must authenticate first. */
  NOT_AUTHORIZED("not-authorized", StanzaErrorType.AUTH),
  /** §8.3.3.12: a local policy was violated. */
  POLICY_VIOLATION("policy-violation", StanzaErrorType.MODIFY),
  /** §8.3.3.13: the intended recipient is temporarily unavailable. */
  RECIPIENT_UNAVAILABLE("recipient-unavailable", StanzaErrorType.WAIT),
  /** §8.3.3.14: the recipient is at another address, for now. */
  REDIRECT("redirect", StanzaErrorType.MODIFY),
  /** §8.3.3.15: the requester must register first. */
  REGISTRATION_REQUIRED("registration-required", StanzaErrorType.AUTH),
  /** §8.3.3.16: the recipient's server does not exist or cannot be resolved. */
  REMOTE_SERVER_NOT_FOUND("remote-server-not-found", StanzaErrorType.CANCEL),
  /** §8.3.3.17: the recipient's server could not be reached in time. */
  REMOTE_SERVER_TIMEOUT("remote-server-timeout", StanzaErrorType.WAIT),
  /** §8.3.3.18: not enough resources to process the stanza. */
  RESOURCE_CONSTRAINT("resource-constraint", StanzaErrorType.WAIT),
  /** §8.3.3.19: the service is not offered here. */
  SERVICE_UNAVAILABLE("service-unavailable", StanzaErrorType.CANCEL),
  /** §8.3.3.20: the requester must subscribe first. */
  SUBSCRIPTION_REQUIRED("subscription-required", StanzaErrorType.AUTH),
  /** §8.3.3.21: none of the other conditions. */
  UNDEFINED_CONDITION("undefined-condition", StanzaErrorType.MODIFY),
  /** §8.3.3.22: the request was not expected at this time. */
  UNEXPECTED_REQUEST("unexpected-request", StanzaErrorType.WAIT);

  private static final Map<String, StanzaErrorCondition> BY_ELEMENT_NAME =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(
          StanzaErrorCondition::elementName, Function.identity()));

  private final String elementName;
  private final StanzaErrorType defaultType;

  StanzaErrorCondition(String elementName, StanzaErrorType defaultType) {
    this.elementName = elementName;
    this.defaultType = defaultType;
  }

  /** The namespace of the condition elements (RFC 6120 §8.3.3). */
  public static final String NAMESPACE = XmlNamespaces.STANZA_ERRORS;

  /** The condition's element name in {@code urn:ietf:params:xml:ns:xmpp-stanzas}. */
  public String elementName() {
    return elementName;
  }

  public StanzaErrorType defaultType() {
    return defaultType;
  }

  public static Optional<StanzaErrorCondition> fromElementName(String elementName) {
    return Optional.ofNullable(BY_ELEMENT_NAME.get(requireNonNull(elementName, "elementName")));
  }

  /**
   * The {@code <error/>} child of an error stanza on a client stream (RFC 6120 §8.3.2).
   *
   * @param by the JID of the entity that generated the error; none if null
   * @param text a description for the {@code <text/>} child; none if null or empty
   */
  public XmlElement toErrorElement(@Nullable String by, @Nullable String text) {
    return toErrorElement(XmlNamespaces.CLIENT, by, text);
  }

  /**
   * The {@code <error/>} child of an error stanza in the given content namespace, e.g.
   * {@code jabber:server} on a server-to-server stream.
   */
  public XmlElement toErrorElement(
      String contentNamespace, @Nullable String by, @Nullable String text) {
    return toErrorElement(contentNamespace, defaultType, by, text, null);
  }

  /**
   * The {@code <error/>} child with a type other than the default where a specification names
   * one, and an application-specific condition after the text (RFC 6120 §8.3.2), e.g. XEP-0191's
   * {@code <blocked xmlns='urn:xmpp:blocking:errors'/>}.
   */
  public XmlElement toErrorElement(String contentNamespace, StanzaErrorType type,
      @Nullable String by, @Nullable String text, @Nullable XmlElement applicationCondition) {
    requireNonNull(contentNamespace, "contentNamespace");
    requireNonNull(type, "type");
    XmlElement.Builder error = XmlElement.builder("error", contentNamespace)
        .attribute("type", type.wireName());
    if (by != null) {
      error.attribute("by", by);
    }
    error.child(XmlElement.builder(elementName, XmlNamespaces.STANZA_ERRORS).build());
    if (text != null && !text.isEmpty()) {
      error.child(XmlElement.builder("text", XmlNamespaces.STANZA_ERRORS).text(text).build());
    }
    if (applicationCondition != null) {
      error.child(applicationCondition);
    }
    return error.build();
  }

  /**
   * The error reply to a stanza (RFC 6120 §8.3.1): 'to' and 'from' swapped, 'type' set to
   * {@code error}, the 'id' and the original payload kept so that the sender can see what failed,
   * and the {@code <error/>} appended.
   *
   * @param text a description for the {@code <text/>} child; none if null or empty
   * @throws IllegalArgumentException if the stanza is itself an error, which must never be
   *     answered with another error (RFC 6120 §8.3.1)
   */
  public static XmlElement errorReply(
      XmlElement stanza, StanzaErrorCondition condition, @Nullable String text) {
    requireNonNull(condition, "condition");
    return errorReply(stanza, condition, condition.defaultType(), text, null);
  }

  /**
   * The error reply to a stanza as {@link #errorReply(XmlElement, StanzaErrorCondition, String)}
   * builds it, with the given error type and application-specific condition (none if null).
   */
  public static XmlElement errorReply(XmlElement stanza, StanzaErrorCondition condition,
      StanzaErrorType type, @Nullable String text, @Nullable XmlElement applicationCondition) {
    requireNonNull(stanza, "stanza");
    requireNonNull(condition, "condition");
    if (stanza.attribute("type").filter("error"::equals).isPresent()) {
      throw new IllegalArgumentException("an error stanza must not be answered with an error");
    }
    // An IQ error carries no copy of the request (RFC 6120 §8.3.1 makes it optional): clients
    // parse an IQ's child by its namespace, and a payload that was the error (a malformed JID in
    // a block list, say) would break the client that parses it back, as it does Smack.
    XmlElement.Builder reply = stanza.name().equals("iq")
        ? XmlElement.builder("iq", stanza.namespace()) : stanza.toBuilder();
    if (stanza.name().equals("iq")) {
      stanza.attributes().forEach(reply::attribute);
    }
    reply.removeAttribute("to").removeAttribute("from");
    stanza.attribute("from").ifPresent(from -> reply.attribute("to", from));
    stanza.attribute("to").ifPresent(to -> reply.attribute("from", to));
    return reply.attribute("type", "error")
        .child(condition.toErrorElement(stanza.namespace(), type, null, text, applicationCondition))
        .build();
  }
}
