package dev.tern.xmpp.xml;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The defined conditions of stream errors (RFC 6120 §4.9.3). */
public enum StreamErrorCondition {
  /** §4.9.3.1: XML that cannot be processed. */
  BAD_FORMAT("bad-format"),
  /** §4.9.3.2: an unsupported namespace prefix, or none where one is needed. */
  BAD_NAMESPACE_PREFIX("bad-namespace-prefix"),
  /** §4.9.3.3: a new stream conflicts with an existing one. */
  CONFLICT("conflict"),
  /** §4.9.3.4: no traffic for too long. */
  CONNECTION_TIMEOUT("connection-timeout"),
  /** §4.9.3.5: the 'to' domain is no longer served. */
  HOST_GONE("host-gone"),
  /** §4.9.3.6: the 'to' domain is not served here. */
  HOST_UNKNOWN("host-unknown"),
  /** §4.9.3.7: a stanza without a needed address, or with an invalid one. */
  IMPROPER_ADDRESSING("improper-addressing"),
  /** §4.9.3.8: a fault of the server. */
  INTERNAL_SERVER_ERROR("internal-server-error"),
  /** §4.9.3.9: a 'from' address the peer may not use. */
  INVALID_FROM("invalid-from"),
  /** §4.9.3.10: a wrong stream or content namespace. */
  INVALID_NAMESPACE("invalid-namespace"),
  /** §4.9.3.11: XML that fails validation. */
  INVALID_XML("invalid-xml"),
  /** §4.9.3.12: data before the stream is authenticated. */
  NOT_AUTHORIZED("not-authorized"),
  /** §4.9.3.13: XML that is not well-formed. */
  NOT_WELL_FORMED("not-well-formed"),
  /** §4.9.3.14: a local policy, such as a size limit, was violated. */
  POLICY_VIOLATION("policy-violation"),
  /** §4.9.3.15: a remote server needed for the stream could not be reached. */
  REMOTE_CONNECTION_FAILED("remote-connection-failed"),
  /** §4.9.3.16: the stream must be negotiated again. */
  RESET("reset"),
  /** §4.9.3.17: not enough resources to serve the stream. */
  RESOURCE_CONSTRAINT("resource-constraint"),
  /** §4.9.3.18: comments, processing instructions, DTDs or entity references (§11.1). */
  RESTRICTED_XML("restricted-xml"),
  /** §4.9.3.19: the peer is to connect elsewhere. */
  SEE_OTHER_HOST("see-other-host"),
  /** §4.9.3.20: the server is shutting down. */
  SYSTEM_SHUTDOWN("system-shutdown"),
  /** §4.9.3.21: none of the other conditions. */
  UNDEFINED_CONDITION("undefined-condition"),
  /** §4.9.3.22: an encoding other than UTF-8 (§11.6). */
  UNSUPPORTED_ENCODING("unsupported-encoding"),
  /** §4.9.3.23: a mandatory-to-negotiate feature is not supported. */
  UNSUPPORTED_FEATURE("unsupported-feature"),
  /** §4.9.3.24: a first-level child the server does not know. */
  UNSUPPORTED_STANZA_TYPE("unsupported-stanza-type"),
  /** §4.9.3.25: a stream version the server does not support. */
  UNSUPPORTED_VERSION("unsupported-version");

  private static final Map<String, StreamErrorCondition> BY_ELEMENT_NAME =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(
          StreamErrorCondition::elementName, Function.identity()));

  private final String elementName;

  StreamErrorCondition(String elementName) {
    this.elementName = elementName;
  }

  /** The condition's element name in {@code urn:ietf:params:xml:ns:xmpp-streams}. */
  public String elementName() {
    return elementName;
  }

  public static Optional<StreamErrorCondition> fromElementName(String elementName) {
    return Optional.ofNullable(BY_ELEMENT_NAME.get(requireNonNull(elementName, "elementName")));
  }

  /**
   * The {@code <stream:error/>} element (RFC 6120 §4.9.2).
   *
   * @param text a description for the {@code <text/>} child; none if null or empty
   */
  public XmlElement toElement(@Nullable String text) {
    XmlElement.Builder error = XmlElement.builder("error", XmlNamespaces.STREAMS)
        .child(XmlElement.builder(elementName, XmlNamespaces.STREAM_ERRORS).build());
    if (text != null && !text.isEmpty()) {
      error.child(XmlElement.builder("text", XmlNamespaces.STREAM_ERRORS).text(text).build());
    }
    return error.build();
  }
}
