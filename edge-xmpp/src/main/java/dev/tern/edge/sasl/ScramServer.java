package dev.tern.edge.sasl;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.sasl.SaslStep.Challenge;
import dev.tern.edge.sasl.SaslStep.Failure;
import dev.tern.edge.sasl.SaslStep.Success;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.accounts.StoredCredential;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The server side of SCRAM-SHA-1, SCRAM-SHA-256 and their -PLUS variants (RFC 5802 §5, §6, §7;
 * RFC 7677).
 *
 * <p>Failures that concern security (a wrong proof, an unknown user, channel bindings that do not
 * match or of a type not offered, a {@code y} where binding is offered) are
 * {@link SaslFailure#NOT_AUTHORIZED}; text that breaks the grammar of RFC 5802 §7 is
 * {@link SaslFailure#MALFORMED_REQUEST}, and bad base 64 inside it is
 * {@link SaslFailure#INCORRECT_ENCODING}. The failure text starts with the RFC 5802 §7
 * server-error-value when there is one. RFC 6120 has no way to carry a server-final-message with
 * {@code e=} inside {@code <failure/>}, so that value goes into the text.
 */
final class ScramServer implements SaslServer {

  private enum State { INITIAL, AWAITING_CLIENT_FIRST, LOOKING_UP, AWAITING_CLIENT_FINAL, DONE }

  private final ScramHash hash;
  private final boolean plus;
  private final SaslContext context;
  private final AccountStore accounts;
  private final UnknownUsers unknownUsers;
  private final Supplier<String> nonces;

  private State state = State.INITIAL;
  // Set by the client-first-message:
  private String gs2Header = "";
  private byte @Nullable [] channelBindingData;
  private String clientFirstBare = "";
  private String username = "";
  private @Nullable String normalizedUsername;
  private String clientNonce = "";
  // Set when the account has been looked up:
  private String serverFirst = "";
  private String nonce = "";
  private @Nullable StoredCredential credential;
  private boolean knownUser;

  ScramServer(ScramHash hash, boolean plus, SaslContext context, AccountStore accounts,
      UnknownUsers unknownUsers, Supplier<String> nonces) {
    this.hash = hash;
    this.plus = plus;
    this.context = context;
    this.accounts = accounts;
    this.unknownUsers = unknownUsers;
    this.nonces = nonces;
  }

  @Override
  public String mechanism() {
    return plus ? hash.plusMechanismName() : hash.mechanismName();
  }

  @Override
  public synchronized CompletionStage<SaslStep> start(byte[] initialResponse) {
    requireNonNull(initialResponse, "initialResponse");
    if (state != State.INITIAL) {
      throw new IllegalStateException(mechanism() + ": start() called twice");
    }
    if (initialResponse.length == 0) {
      // RFC 4422 §5: the client sends first; without an initial response it gets an empty challenge.
      state = State.AWAITING_CLIENT_FIRST;
      return done(new Challenge(new byte[0]));
    }
    return clientFirst(initialResponse);
  }

  @Override
  public synchronized CompletionStage<SaslStep> evaluate(byte[] response) {
    requireNonNull(response, "response");
    return switch (state) {
      case AWAITING_CLIENT_FIRST -> clientFirst(response);
      case AWAITING_CLIENT_FINAL -> done(clientFinal(response));
      case INITIAL -> throw new IllegalStateException(mechanism() + ": evaluate() before start()");
      case LOOKING_UP, DONE -> done(fail(SaslFailure.MALFORMED_REQUEST,
          "no response is expected now"));
    };
  }

  // RFC 5802 §7:
  //   client-first-message = gs2-header client-first-message-bare
  //   gs2-header = gs2-cbind-flag "," [ authzid ] ","
  //   gs2-cbind-flag = ("p=" cb-name) / "n" / "y"
  //   client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
  private CompletionStage<SaslStep> clientFirst(byte[] message) {
    Optional<String> decoded = SaslIdentity.utf8(message);
    if (decoded.isEmpty() || decoded.get().indexOf('\0') >= 0) {
      return done(fail(SaslFailure.MALFORMED_REQUEST, "invalid-encoding: not UTF-8 text"));
    }
    String text = decoded.get();

    int flagEnd = text.indexOf(',');
    int headerEnd = flagEnd < 0 ? -1 : text.indexOf(',', flagEnd + 1);
    if (headerEnd < 0) {
      return done(fail(SaslFailure.MALFORMED_REQUEST, "invalid-encoding: no gs2-header"));
    }
    String flag = text.substring(0, flagEnd);
    String authzidAttribute = text.substring(flagEnd + 1, headerEnd);
    gs2Header = text.substring(0, headerEnd + 1);
    clientFirstBare = text.substring(headerEnd + 1);

    Failure refused = checkChannelBindingFlag(flag);
    if (refused != null) {
      return done(refused);
    }

    @Nullable String authzid = null;
    if (!authzidAttribute.isEmpty()) {
      if (!authzidAttribute.startsWith("a=")) {
        return done(fail(SaslFailure.MALFORMED_REQUEST, "invalid-encoding: bad authzid"));
      }
      authzid = decodeSaslName(authzidAttribute.substring(2));
      if (authzid == null) {
        return done(fail(SaslFailure.MALFORMED_REQUEST,
            "invalid-username-encoding: bad escape in authzid"));
      }
    }

    String[] attributes = clientFirstBare.split(",", -1);
    int i = 0;
    if (attributes[0].startsWith("m=")) {
      return done(fail(SaslFailure.MALFORMED_REQUEST,
          "extensions-not-supported: mandatory extension"));
    }
    if (attributes.length < 2 || !attributes[i].startsWith("n=")) {
      return done(fail(SaslFailure.MALFORMED_REQUEST, "invalid-encoding: no username"));
    }
    String name = decodeSaslName(attributes[i++].substring(2));
    if (name == null) {
      return done(fail(SaslFailure.MALFORMED_REQUEST,
          "invalid-username-encoding: bad escape in username"));
    }
    if (!attributes[i].startsWith("r=") || !isNonce(attributes[i].substring(2))) {
      return done(fail(SaslFailure.MALFORMED_REQUEST, "invalid-encoding: no nonce"));
    }
    clientNonce = attributes[i++].substring(2);
    for (; i < attributes.length; i++) {
      if (!isExtension(attributes[i])) {
        return done(fail(SaslFailure.MALFORMED_REQUEST, "invalid-encoding: bad attribute"));
      }
    }

    username = name;
    normalizedUsername = SaslIdentity.username(name).orElse(null);
    if (authzid != null && (normalizedUsername == null
        || !SaslIdentity.isOwnIdentity(authzid, normalizedUsername, context.domain()))) {
      return done(fail(SaslFailure.INVALID_AUTHZID, "authzid is not the authenticating user"));
    }
    return lookUp();
  }

  /**
   * RFC 5802 §6: which gs2-cbind-flag this mechanism on this stream accepts.
   *
   * <p>{@code y} says "I can bind, but the server cannot". Where this stream offers -PLUS
   * mechanisms that is refused, as RFC 5802 §6 asks: the client did not see them, so someone may
   * have removed them from the features on the way. Except when this stream already saw the client
   * try a -PLUS mechanism with a channel-binding type it does not offer (slixmpp asks for
   * {@code tls-unique}, which TLS 1.3 does not have, RFC 9266 §1, then falls back to {@code y}):
   * that client saw the -PLUS mechanisms, and its {@code y} is true, as no type it can bind is
   * offered. A {@code y} after a -PLUS attempt that failed for another reason (bindings that did
   * not match) is still refused. What the exception gives up: docs/design/edge.md, "SASL".
   */
  private @Nullable Failure checkChannelBindingFlag(String flag) {
    if (flag.equals("n") || flag.equals("y")) {
      if (plus) {
        return fail(SaslFailure.MALFORMED_REQUEST,
            mechanism() + " requires the gs2-cbind-flag p=");
      }
      if (flag.equals("y") && !context.channelBindings().isEmpty()
          && !context.attempts().clientAskedForUnofferedType()) {
        return fail(SaslFailure.NOT_AUTHORIZED, "server-does-support-channel-binding");
      }
      channelBindingData = new byte[0];
      return null;
    }
    if (!flag.startsWith("p=") || !ChannelBinding.CB_NAME.matcher(flag.substring(2)).matches()) {
      return fail(SaslFailure.MALFORMED_REQUEST, "invalid-encoding: bad gs2-cbind-flag");
    }
    if (!plus) {
      return fail(SaslFailure.MALFORMED_REQUEST,
          "channel binding requested with " + mechanism() + ", use " + hash.plusMechanismName());
    }
    Optional<ChannelBinding> binding = context.channelBinding(flag.substring(2));
    if (binding.isEmpty()) {
      context.attempts().unofferedTypeAsked();
      return fail(SaslFailure.NOT_AUTHORIZED, "unsupported-channel-binding-type: "
          + flag.substring(2));
    }
    channelBindingData = binding.get().data();
    return null;
  }

  private CompletionStage<SaslStep> lookUp() {
    state = State.LOOKING_UP;
    String key = normalizedUsername;
    if (key == null) {
      return done(afterLookup(null));
    }
    CompletionStage<Optional<Account>> found;
    try {
      found = accounts.find(key);
    } catch (RuntimeException e) {
      return done(temporaryFailure());
    }
    return found.handle((account, error) -> {
      synchronized (this) {
        if (state != State.LOOKING_UP) {
          return new Failure(SaslFailure.MALFORMED_REQUEST, "the exchange has ended");
        }
        return error != null ? temporaryFailure() : afterLookup(account.orElse(null));
      }
    });
  }

  private SaslStep temporaryFailure() {
    return fail(SaslFailure.TEMPORARY_AUTH_FAILURE, "other-error: accounts are not available");
  }

  private SaslStep afterLookup(@Nullable Account account) {
    StoredCredential stored = account == null
        ? null : account.credentials().get(hash.mechanismName());
    knownUser = stored != null;
    credential = stored != null ? stored
        : unknownUsers.credential(hash, normalizedUsername != null ? normalizedUsername : username);
    nonce = clientNonce + nonces.get();
    // server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count
    serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
        + ",i=" + credential.iterations();
    state = State.AWAITING_CLIENT_FINAL;
    return new Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
  }

  // RFC 5802 §7:
  //   client-final-message-without-proof = channel-binding "," nonce ["," extensions]
  //   client-final-message = client-final-message-without-proof "," proof
  private SaslStep clientFinal(byte[] message) {
    Optional<String> decoded = SaslIdentity.utf8(message);
    if (decoded.isEmpty() || decoded.get().indexOf('\0') >= 0) {
      return fail(SaslFailure.MALFORMED_REQUEST, "invalid-encoding: not UTF-8 text");
    }
    String text = decoded.get();
    if (text.isEmpty()) {
      // What a client sends whose mechanism gave it nothing to answer with (xmpp.js 0.13 with
      // sasl-scram-sha-1 1.3 or later): say so rather than blame the grammar.
      return fail(SaslFailure.MALFORMED_REQUEST,
          "invalid-encoding: the client-final-message is empty");
    }
    String[] attributes = text.split(",", -1);
    int last = attributes.length - 1;
    if (attributes.length < 3 || !attributes[0].startsWith("c=")
        || !attributes[1].startsWith("r=") || !attributes[last].startsWith("p=")) {
      return fail(SaslFailure.MALFORMED_REQUEST, "invalid-encoding: not a client-final-message");
    }
    for (int i = 2; i < last; i++) {
      if (!isExtension(attributes[i])) {
        return fail(SaslFailure.MALFORMED_REQUEST, "invalid-encoding: bad attribute");
      }
    }
    byte[] cbind = base64(attributes[0].substring(2));
    byte[] proof = base64(attributes[last].substring(2));
    if (cbind == null || proof == null) {
      return fail(SaslFailure.INCORRECT_ENCODING, "invalid-encoding: bad base64");
    }

    // c= is base64(gs2-header [cbind-data]) (RFC 5802 §7, channel-binding).
    byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
    byte[] cbData = requireNonNull(channelBindingData);
    byte[] expected = new byte[header.length + cbData.length];
    System.arraycopy(header, 0, expected, 0, header.length);
    System.arraycopy(cbData, 0, expected, header.length, cbData.length);
    if (!MessageDigest.isEqual(expected, cbind)) {
      return fail(SaslFailure.NOT_AUTHORIZED, "channel-bindings-dont-match");
    }
    if (!attributes[1].substring(2).equals(nonce)) {
      return fail(SaslFailure.NOT_AUTHORIZED, "other-error: the nonce is not this exchange's");
    }

    StoredCredential c = requireNonNull(credential);
    String withoutProof = text.substring(0, text.lastIndexOf(','));
    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
        .getBytes(StandardCharsets.UTF_8);
    // RFC 5802 §3: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); H(ClientKey) must be
    // StoredKey. The same work is done for an unknown user, against its stand-in keys.
    byte[] storedKey = c.storedKey();
    byte[] clientSignature = ScramCredentials.hmac(hash, storedKey, authMessage);
    byte[] clientKey = proof.length == hash.length()
        ? ScramCredentials.xor(proof, clientSignature) : new byte[hash.length()];
    boolean proofMatches = MessageDigest.isEqual(ScramCredentials.h(hash, clientKey), storedKey);
    if (!(proofMatches & knownUser & proof.length == hash.length())) {
      return fail(SaslFailure.NOT_AUTHORIZED, "invalid-proof");
    }
    byte[] serverSignature = ScramCredentials.hmac(hash, c.serverKey(), authMessage);
    state = State.DONE;
    String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
    return new Success(serverFinal.getBytes(StandardCharsets.UTF_8),
        requireNonNull(normalizedUsername));
  }

  private Failure fail(SaslFailure condition, String text) {
    state = State.DONE;
    credential = null;
    return new Failure(condition, text);
  }

  private static CompletionStage<SaslStep> done(SaslStep step) {
    return CompletableFuture.completedFuture(step);
  }

  /**
   * RFC 5802 §5.1: in a saslname "," and "=" are sent as "=2C" and "=3D"; any other "=" makes the
   * name invalid. Returns null then, and for an empty name.
   */
  static @Nullable String decodeSaslName(String encoded) {
    if (encoded.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c != '=') {
        out.append(c);
      } else if (encoded.startsWith("=2C", i)) {
        out.append(',');
        i += 2;
      } else if (encoded.startsWith("=3D", i)) {
        out.append('=');
        i += 2;
      } else {
        return null;
      }
    }
    return out.toString();
  }

  // RFC 5802 §7: printable = %x21-2B / %x2D-7E ; any printable ASCII except ","
  private static boolean isNonce(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7E || c == ',') {
        return false;
      }
    }
    return true;
  }

  // RFC 5802 §7: attr-val = ALPHA "=" value
  private static boolean isExtension(String attribute) {
    return attribute.length() >= 2
        && ((attribute.charAt(0) >= 'a' && attribute.charAt(0) <= 'z')
            || (attribute.charAt(0) >= 'A' && attribute.charAt(0) <= 'Z'))
        && attribute.charAt(1) == '=';
  }

  private static byte @Nullable [] base64(String text) {
    Optional<byte[]> bytes = SaslBase64.decode(text);
    return text.isEmpty() || text.equals("=") ? null : bytes.orElse(null);
  }
}
