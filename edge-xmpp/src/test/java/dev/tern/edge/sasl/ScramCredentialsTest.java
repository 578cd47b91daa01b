package dev.tern.edge.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.storage.accounts.StoredCredential;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScramCredentialsTest {

  private static byte[] b64(String s) {
    return Base64.getDecoder().decode(s);
  }

  @Test
  void theKeysOfTheRfc5802ExampleAreDerived() {
    StoredCredential c = ScramCredentials.derive(ScramHash.SHA_1, "pencil".toCharArray(),
        b64("QSXCR+Q6sek8bf92"), 4096);

    assertThat(c.mechanism()).isEqualTo("SCRAM-SHA-1");
    assertThat(c.iterations()).isEqualTo(4096);
    assertThat(c.storedKey()).isEqualTo(b64("6dlGYMOdZcOPutkcNY8U2g7vK9Y="));
    assertThat(c.serverKey()).isEqualTo(b64("D+CSWLOshSulAsxiupA+qs2/fTE="));
  }

  @Test
  void theKeysOfTheRfc7677ExampleAreDerived() {
    StoredCredential c = ScramCredentials.derive(ScramHash.SHA_256, "pencil".toCharArray(),
        b64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

    assertThat(c.storedKey()).isEqualTo(b64("WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY="));
    assertThat(c.serverKey()).isEqualTo(b64("wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="));
  }

  @Test
  void aPasswordGetsBothMechanismsEachWithItsOwnSaltAndTheDefaultIterations() {
    char[] password = "r0m30myr0m30".toCharArray();

    Map<String, StoredCredential> credentials =
        ScramCredentials.forPassword(password, new SecureRandom());

    assertThat(credentials).containsOnlyKeys("SCRAM-SHA-1", "SCRAM-SHA-256");
    StoredCredential sha1 = credentials.get("SCRAM-SHA-1");
    StoredCredential sha256 = credentials.get("SCRAM-SHA-256");
    assertThat(sha1.salt()).hasSize(16).isNotEqualTo(sha256.salt());
    assertThat(sha1.iterations()).isEqualTo(ScramHash.DEFAULT_ITERATIONS);
    assertThat(sha256.iterations()).isEqualTo(ScramHash.DEFAULT_ITERATIONS);
    assertThat(sha1.storedKey()).hasSize(20);
    assertThat(sha256.storedKey()).hasSize(32);
    assertThat(ScramCredentials.derive(ScramHash.SHA_256, password, sha256.salt(),
        sha256.iterations())).isEqualTo(sha256);
  }

  @Test
  void passwordsThatAreTheSameOpaqueStringGiveTheSameKeys() {
    byte[] salt = {1, 2, 3, 4};

    // NFC (RFC 8265 §4.2.1): "é" precomposed and decomposed; U+00A0 maps to U+0020.
    assertThat(ScramCredentials.derive(ScramHash.SHA_256, "caf\u00E9".toCharArray(), salt, 4096))
        .isEqualTo(ScramCredentials.derive(ScramHash.SHA_256, "cafe\u0301".toCharArray(), salt,
            4096));
    assertThat(ScramCredentials.derive(ScramHash.SHA_1, "a\u00A0b".toCharArray(), salt, 4096))
        .isEqualTo(ScramCredentials.derive(ScramHash.SHA_1, "a b".toCharArray(), salt, 4096));
  }

  @Test
  void anEmptyPasswordOrOneWithControlCharactersIsRefused() {
    assertThatThrownBy(() -> ScramCredentials.forPassword(new char[0], new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OpaqueString");
    assertThatThrownBy(() -> ScramCredentials.derive(ScramHash.SHA_1, "a\u0000b".toCharArray(),
        new byte[] {1}, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
