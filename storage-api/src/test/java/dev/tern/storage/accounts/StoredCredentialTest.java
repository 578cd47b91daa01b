package dev.tern.storage.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredCredentialTest {

  private static StoredCredential credential(byte[] salt, byte[] storedKey, byte[] serverKey) {
    return new StoredCredential("SCRAM-SHA-1", salt, 4096, storedKey, serverKey);
  }

  @Test
  void changingTheArraysGivenOrTakenDoesNotChangeTheCredential() {
    byte[] salt = {1, 2, 3};
    byte[] storedKey = {4, 5};
    StoredCredential c = credential(salt, storedKey, new byte[] {6});

    salt[0] = 9;
    storedKey[0] = 9;
    c.serverKey()[0] = 9;

    assertThat(c.salt()).containsExactly(1, 2, 3);
    assertThat(c.storedKey()).containsExactly(4, 5);
    assertThat(c.serverKey()).containsExactly(6);
  }

  @Test
  void credentialsWithTheSameContentsAreEqual() {
    StoredCredential a = credential(new byte[] {1}, new byte[] {2}, new byte[] {3});
    StoredCredential b = credential(new byte[] {1}, new byte[] {2}, new byte[] {3});
    StoredCredential c = credential(new byte[] {1}, new byte[] {2}, new byte[] {4});

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
  }

  @Test
  void theTextFormShowsNeitherSaltNorKeys() {
    assertThat(credential(new byte[] {1}, new byte[] {2}, new byte[] {3}))
        .hasToString("StoredCredential[SCRAM-SHA-1, 4096 iterations]");
  }

  @Test
  void aPlusMechanismAnEmptySaltOrNoIterationsAreRefused() {
    assertThatThrownBy(() -> new StoredCredential("SCRAM-SHA-1-PLUS", new byte[] {1}, 1,
        new byte[] {1}, new byte[] {1})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StoredCredential("PLAIN", new byte[] {1}, 1,
        new byte[] {1}, new byte[] {1})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> credential(new byte[0], new byte[] {1}, new byte[] {1}))
        .hasMessageContaining("salt");
    assertThatThrownBy(() -> new StoredCredential("SCRAM-SHA-1", new byte[] {1}, 0,
        new byte[] {1}, new byte[] {1})).hasMessageContaining("iterations");
  }

  @Test
  void anAccountKeepsItsCreationTimeToTheMillisecond() {
    Account a = new Account("juliet", Instant.parse("2025-01-01T00:00:00.123456789Z"), Map.of());

    assertThat(a.createdAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00.123Z"));
  }

  @Test
  void anAccountRefusesACredentialFiledUnderAnotherMechanism() {
    StoredCredential sha1 = credential(new byte[] {1}, new byte[] {2}, new byte[] {3});

    assertThatThrownBy(() -> new Account("juliet", Instant.now(), Map.of("SCRAM-SHA-256", sha1)))
        .hasMessageContaining("filed under SCRAM-SHA-256");
  }
}
