package dev.tern.edge.sasl;

/**
 * The SASL failure conditions of RFC 6120 §6.5, each sent as a child element of
 * {@code <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>}.
 */
public enum SaslFailure {
  /** §6.5.1: the initiating entity sent {@code <abort/>}. */
  ABORTED("aborted"),
  /** §6.5.2: the account exists but is disabled. */
  ACCOUNT_DISABLED("account-disabled"),
  /** §6.5.3: the credentials have expired. */
  CREDENTIALS_EXPIRED("credentials-expired"),
  /** §6.5.4: the mechanism may only be used over a stream protected by TLS (PLAIN in clear). */
  ENCRYPTION_REQUIRED("encryption-required"),
  /** §6.5.5: the base 64 data of {@code <auth/>} or {@code <response/>} is not valid. */
  INCORRECT_ENCODING("incorrect-encoding"),
  /** §6.5.6: the authzid is malformed or not one the user may act as. */
  INVALID_AUTHZID("invalid-authzid"),
  /** §6.5.7: no mechanism was named, or one the server does not offer. */
  INVALID_MECHANISM("invalid-mechanism"),
  /** §6.5.8: the data violates the syntax of the mechanism. */
  MALFORMED_REQUEST("malformed-request"),
  /** §6.5.9: the mechanism is weaker than the server allows for this account. */
  MECHANISM_TOO_WEAK("mechanism-too-weak"),
  /** §6.5.10: the credentials are not right; also said for an unknown user. */
  NOT_AUTHORIZED("not-authorized"),
  /** §6.5.11: the server could not check the credentials now (e.g. the store did not answer). */
  TEMPORARY_AUTH_FAILURE("temporary-auth-failure");

  private final String elementName;

  SaslFailure(String elementName) {
    this.elementName = elementName;
  }

  /** The local name of the condition element, e.g. {@code not-authorized}. */
  public String elementName() {
    return elementName;
  }
}
