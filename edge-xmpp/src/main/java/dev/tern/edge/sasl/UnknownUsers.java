package dev.tern.edge.sasl;

import dev.tern.storage.accounts.StoredCredential;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stand-in credentials for users that do not exist (RFC 5802 §9: the server should not reveal
 * whether a user exists). The salt is an HMAC of the name under a secret, so asking twice, or at
 * another edge with the same secret, gives the same salt, as for a real account; the iteration
 * count is the one real credentials get. The keys are HMACs as well: no proof can match them
 * without the secret, and the exchange fails at the same step, with the same answer, as a wrong
 * password does.
 */
final class UnknownUsers {

  private static final String PRF = "HmacSHA256";

  private final byte[] secret;

  UnknownUsers(byte[] secret) {
    this.secret = secret.clone();
  }

  StoredCredential credential(ScramHash hash, String username) {
    return new StoredCredential(hash.mechanismName(),
        prf("salt", hash, username, ScramCredentials.SALT_LENGTH),
        hash.defaultIterations(),
        prf("stored-key", hash, username, hash.length()),
        prf("server-key", hash, username, hash.length()));
  }

  private byte[] prf(String label, ScramHash hash, String username, int length) {
    try {
      Mac mac = Mac.getInstance(PRF);
      mac.init(new SecretKeySpec(secret, PRF));
      mac.update((label + '\0' + hash.mechanismName() + '\0').getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)), length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + PRF, e);
    }
  }
}
