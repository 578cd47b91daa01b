package dev.tern.edge.sasl;

import static dev.tern.edge.sasl.SaslFixtures.CLEAR;
import static dev.tern.edge.sasl.SaslFixtures.DOMAIN;
import static dev.tern.edge.sasl.SaslFixtures.EXPORTER;
import static dev.tern.edge.sasl.SaslFixtures.SECRET;
import static dev.tern.edge.sasl.SaslFixtures.TLS;
import static dev.tern.edge.sasl.SaslFixtures.tlsWithBindings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.storage.accounts.InMemoryAccountStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaslMechanismsTest {

  private final SaslMechanisms mechanisms = SaslMechanisms.of(new InMemoryAccountStore(), SECRET);

  @Test
  void aStreamWithoutTlsIsOfferedOnlyScram() {
    assertThat(mechanisms.offered(CLEAR)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1");
    assertThat(mechanisms.channelBindingTypes(CLEAR)).isEmpty();
  }

  @Test
  void aStreamOverTlsIsOfferedPlainToo() {
    assertThat(mechanisms.offered(TLS)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
    assertThat(mechanisms.channelBindingTypes(TLS)).isEmpty();
  }

  @Test
  void aStreamWithChannelBindingsIsOfferedThePlusVariantsFirst() {
    assertThat(mechanisms.offered(tlsWithBindings())).containsExactly("SCRAM-SHA-256-PLUS",
        "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
    assertThat(mechanisms.channelBindingTypes(tlsWithBindings()))
        .containsExactly("tls-exporter", "tls-server-end-point");
  }

  @Test
  void everyOfferedMechanismCanBeCreatedUnderItsName() {
    for (SaslContext context : List.of(CLEAR, TLS, tlsWithBindings())) {
      for (String name : mechanisms.offered(context)) {
        assertThat(mechanisms.create(name, context)).hasValueSatisfying(
            server -> assertThat(server.mechanism()).isEqualTo(name));
      }
    }
  }

  @Test
  void aMechanismNotOfferedOnTheStreamCannotBeCreated() {
    assertThat(mechanisms.create("SCRAM-SHA-256-PLUS", TLS)).isEmpty();
    assertThat(mechanisms.create("SCRAM-SHA-1-PLUS", CLEAR)).isEmpty();
    assertThat(mechanisms.create("DIGEST-MD5", tlsWithBindings())).isEmpty();
    assertThat(mechanisms.create("scram-sha-256", tlsWithBindings())).isEmpty();
    assertThat(mechanisms.create("", tlsWithBindings())).isEmpty();
  }

  @Test
  void plainAskedForWithoutTlsGivesAServerThatRequiresEncryption() {
    SaslServer server = mechanisms.create("PLAIN", CLEAR).orElseThrow();

    SaslStep step = SaslFixtures.join(server.start(new byte[0]));

    assertThat(((SaslStep.Failure) step).condition()).isEqualTo(SaslFailure.ENCRYPTION_REQUIRED);
  }

  @Test
  void theUnknownUserSecretMustBeLongEnough() {
    assertThatThrownBy(() -> SaslMechanisms.of(new InMemoryAccountStore(), new byte[31]))
        .hasMessageContaining("at least 32 bytes");
    assertThatThrownBy(() -> SaslMechanisms.builder(new InMemoryAccountStore()).build())
        .hasMessageContaining("unknownUserSecret");
  }

  @Test
  void channelBindingsNeedTlsAndDistinctTypes() {
    ChannelBinding exporter = new ChannelBinding("tls-exporter", EXPORTER);

    assertThatThrownBy(() -> new SaslContext(false, List.of(exporter), DOMAIN))
        .hasMessageContaining("without TLS");
    assertThatThrownBy(() -> new SaslContext(true, List.of(exporter, exporter), DOMAIN))
        .hasMessageContaining("two channel bindings");
    assertThatThrownBy(() -> new ChannelBinding("tls exporter", EXPORTER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChannelBinding("tls-exporter", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyFailureConditionOfRfc6120IsNamedAsItsElement() {
    assertThat(List.of(SaslFailure.values()).stream().map(SaslFailure::elementName))
        .containsExactly("aborted", "account-disabled", "credentials-expired",
            "encryption-required", "incorrect-encoding", "invalid-authzid", "invalid-mechanism",
            "malformed-request", "mechanism-too-weak", "not-authorized",
            "temporary-auth-failure");
  }

  @Test
  void scramHashesKnowTheirMechanismNames() {
    assertThat(ScramHash.SHA_1.mechanismName()).isEqualTo("SCRAM-SHA-1");
    assertThat(ScramHash.SHA_256.plusMechanismName()).isEqualTo("SCRAM-SHA-256-PLUS");
    assertThat(ScramHash.forMechanism("SCRAM-SHA-1-PLUS")).contains(ScramHash.SHA_1);
    assertThat(ScramHash.forMechanism("SCRAM-SHA-512")).isEmpty();
  }
}
