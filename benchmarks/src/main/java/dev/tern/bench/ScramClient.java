package dev.tern.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM client (RFC 5802, RFC 7677) written from the RFCs, independent of the server's code:
 * the load tools use it, and the tests use it to check the server over the wire.
 */
public final class ScramClient {

  private static final Map<String, byte[]> SALTED = new java.util.concurrent.ConcurrentHashMap<>();

  private final String hash; // "SHA-1" or "SHA-256"
  private final String gs2Header;
  private final byte[] cbData;
  private final String user;
  private final String password;
  private final String clientNonce;
  private String clientFirstBare = "";
  private byte[] serverSignature = new byte[0];

  /** {@code cbType} null: no channel binding ("n,,"). */
  public ScramClient(String hash, String user, String password, String cbType, byte[] cbData, String authzid) {
    this.hash = hash;
    this.user = user;
    this.password = password;
    this.cbData = cbData;
    String a = authzid == null ? "" : "a=" + authzid;
    this.gs2Header = (cbType == null ? "n" : "p=" + cbType) + "," + a + ",";
    byte[] nonce = new byte[18];
    new SecureRandom().nextBytes(nonce);
    this.clientNonce = Base64.getEncoder().encodeToString(nonce);
  }

  public String clientFirst() {
    clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
    return gs2Header + clientFirstBare;
  }

  public String clientFinal(String serverFirst) throws Exception {
    Map<String, String> f = fields(serverFirst);
    String nonce = f.get("r");
    if (!nonce.startsWith(clientNonce)) {
      throw new IllegalStateException("server nonce does not extend ours");
    }
    byte[] salt = Base64.getDecoder().decode(f.get("s"));
    int iterations = Integer.parseInt(f.get("i"));
    String mac = "Hmac" + hash.replace("-", "");
    SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2With" + mac);
    int bits = hash.equals("SHA-1") ? 160 : 256;
    // RFC 5802 §5.1: a client may cache SaltedPassword for a salt and iteration count.
    String cacheKey = hash + "\u0000" + password + "\u0000" + f.get("s") + "\u0000" + iterations;
    byte[] salted = SALTED.computeIfAbsent(cacheKey, k -> {
      try {
        return pbkdf2.generateSecret(
            new PBEKeySpec(password.toCharArray(), salt, iterations, bits)).getEncoded();
      } catch (java.security.spec.InvalidKeySpecException e) {
        throw new IllegalStateException(e);
      }
    });
    byte[] clientKey = hmac(mac, salted, "Client Key");
    byte[] storedKey = MessageDigest.getInstance(hash).digest(clientKey);
    byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
    byte[] cbind = new byte[header.length + cbData.length];
    System.arraycopy(header, 0, cbind, 0, header.length);
    System.arraycopy(cbData, 0, cbind, header.length, cbData.length);
    String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbind) + ",r=" + nonce;
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    byte[] signature = hmac(mac, storedKey, authMessage);
    byte[] proof = clientKey.clone();
    for (int i = 0; i < proof.length; i++) {
      proof[i] ^= signature[i];
    }
    serverSignature = hmac(mac, hmac(mac, salted, "Server Key"), authMessage);
    return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
  }

  /** True if the server proved it knows the password too (v=). */
  public boolean verifyServerFinal(String serverFinal) {
    String v = fields(serverFinal).get("v");
    return v != null && MessageDigest.isEqual(Base64.getDecoder().decode(v), serverSignature);
  }

  private static byte[] hmac(String mac, byte[] key, String data) throws Exception {
    Mac m = Mac.getInstance(mac);
    m.init(new SecretKeySpec(key, mac));
    return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> fields(String message) {
    Map<String, String> out = new HashMap<>();
    for (String part : message.split(",")) {
      int eq = part.indexOf('=');
      if (eq == 1) {
        out.put(part.substring(0, 1), part.substring(2));
      }
    }
    return out;
  }
}
