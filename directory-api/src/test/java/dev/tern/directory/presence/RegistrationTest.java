package dev.tern.directory.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistrationTest {

  private static Registration of(String bareJid, String resource) {
    return Registration.of(bareJid, resource, "region-a", "region-a-edge-1", Instant.EPOCH);
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource({
      "alice@example.com, phone",
      "alice@example.com, a/b@c with spaces",
      "example.com, bot",
      "élodie@example.com, Téléphone",
  })
  void aPreparedBareJidAndResourceAreRegistered(String bareJid, String resource) {
    Registration r = of(bareJid, resource);

    assertThat(r.bareJid()).isEqualTo(bareJid);
    assertThat(r.resource()).isEqualTo(resource);
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource({
      "'', phone",
      "alice@example.com, ''",
      "alice@example.com/laptop, phone",
      "@example.com, phone",
      "alice@, phone",
      "Alice@Example.com, phone",
  })
  void anythingElseIsRefused(String bareJid, String resource) {
    assertThatThrownBy(() -> of(bareJid, resource)).isInstanceOf(IllegalArgumentException.class);
  }
}
