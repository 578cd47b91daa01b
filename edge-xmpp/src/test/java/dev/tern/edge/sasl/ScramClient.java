package dev.tern.edge.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small SCRAM client (RFC 5802 §3, §5) written apart from the server under test: Hi() is the
 * JDK's PBKDF2, and every message is built from strings, so that a mistake shared by both sides
 * is unlikely. ASCII passwords only (PBEKeySpec takes chars and the JDK encodes them as UTF-8).
 */
public final class ScramClient {

  private final ScramHash hash;
  private final String gs2Header;
  private final byte[] channelBindingData;
  private final String username;
  private final String password;
  private final String clientNonce;

  private String clientFirstBare = "";
  private String authMessage = "";
  private byte[] serverKey = new byte[0];

  /**
   * @param gs2Header e.g. {@code n,,} or {@code p=tls-exporter,a=juliet,}
   * @param channelBindingData what the client's TLS layer gives for the type in the header;
   *     empty for {@code n} and {@code y}
   * @param username already escaped for the saslname ({@code =2C}, {@code =3D})
   */
  public ScramClient(ScramHash hash, String gs2Header, byte[] channelBindingData, String username,
      String password, String clientNonce) {
    this.hash = hash;
    this.gs2Header = gs2Header;
    this.channelBindingData = channelBindingData.clone();
    this.username = username;
    this.password = password;
    this.clientNonce = clientNonce;
  }

  /**
   * A client that sends {@code gs2Header} (such as {@code p=tls-server-end-point,,} or
   * {@code y,,}) and binds {@code channelBindingData}, empty for {@code n} and {@code y}.
   */
  public static ScramClient withHeader(ScramHash hash, String gs2Header,
      byte[] channelBindingData, String username, String password) {
    return new ScramClient(hash, gs2Header, channelBindingData, username, password,
        "clientNonce123");
  }

  public static ScramClient simple(ScramHash hash, String username, String password) {
    return new ScramClient(hash, "n,,", new byte[0], username, password, "clientNonce123");
  }

  public byte[] clientFirst() {
    clientFirstBare = "n=" + username + ",r=" + clientNonce;
    return (gs2Header + clientFirstBare).getBytes(StandardCharsets.UTF_8);
  }

  public byte[] clientFinal(byte[] serverFirstMessage) {
    String serverFirst = new String(serverFirstMessage, StandardCharsets.UTF_8);
    Map<Character, String> attributes = attributes(serverFirst);
    String nonce = attributes.get('r');
    if (!nonce.startsWith(clientNonce)) {
      throw new IllegalStateException("the server nonce does not extend ours: " + serverFirst);
    }
    byte[] salt = Base64.getDecoder().decode(attributes.get('s'));
    int iterations = Integer.parseInt(attributes.get('i'));

    byte[] cbind = concat(gs2Header.getBytes(StandardCharsets.UTF_8), channelBindingData);
    String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbind) + ",r=" + nonce;
    authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;

    byte[] salted = pbkdf2(salt, iterations);
    byte[] clientKey = hmac(salted, "Client Key");
    byte[] storedKey = digest(clientKey);
    byte[] signature = hmac(storedKey, authMessage);
    byte[] proof = new byte[clientKey.length];
    for (int i = 0; i < proof.length; i++) {
      proof[i] = (byte) (clientKey[i] ^ signature[i]);
    }
    serverKey = hmac(salted, "Server Key");
    return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the server-final-message proves that the server knows our ServerKey. */
  public boolean serverIsAuthentic(byte[] serverFinalMessage) {
    String expected = "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage));
    return expected.equals(new String(serverFinalMessage, StandardCharsets.UTF_8));
  }

  static Map<Character, String> attributes(String message) {
    Map<Character, String> out = new HashMap<>();
    for (String attribute : message.split(",")) {
      out.put(attribute.charAt(0), attribute.substring(2));
    }
    return out;
  }

  private byte[] pbkdf2(byte[] salt, int iterations) {
    String algorithm = hash == ScramHash.SHA_1 ? "PBKDF2WithHmacSHA1" : "PBKDF2WithHmacSHA256";
    try {
      return SecretKeyFactory.getInstance(algorithm)
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations,
              hash.length() * 8))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] hmac(byte[] key, String data) {
    String algorithm = hash == ScramHash.SHA_1 ? "HmacSHA1" : "HmacSHA256";
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] digest(byte[] data) {
    try {
      return MessageDigest.getInstance(hash == ScramHash.SHA_1 ? "SHA-1" : "SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
