package dev.tern.storage.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.internal.core.type.UserDefinedTypeBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What can be checked of the Cassandra store without a Cassandra: its mapping and its schema. */
class CassandraAccountStoreMappingTest {

  private static final UserDefinedType SCRAM_CREDENTIAL =
      new UserDefinedTypeBuilder("tern", "scram_credential")
          .withField("mechanism", DataTypes.TEXT)
          .withField("salt", DataTypes.BLOB)
          .withField("iterations", DataTypes.INT)
          .withField("stored_key", DataTypes.BLOB)
          .withField("server_key", DataTypes.BLOB)
          .frozen()
          .build();

  private static String migration(int version) throws IOException {
    try (InputStream in = CassandraAccountStore.class.getResourceAsStream(
        "/dev/tern/storage/migrations/v" + version + ".cql")) {
      assertThat(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aCredentialSurvivesTheTripThroughTheUserDefinedType() {
    StoredCredential c = new StoredCredential("SCRAM-SHA-256", new byte[] {1, 2, 3}, 10_000,
        new byte[] {4, 5, 6}, new byte[] {7, 8, 9});

    UdtValue value = CassandraAccountStore.toUdt(c, SCRAM_CREDENTIAL);

    assertThat(CassandraAccountStore.fromUdt(value)).isEqualTo(c);
    assertThat(CassandraAccountStore.toUdts(Map.of("SCRAM-SHA-256", c), SCRAM_CREDENTIAL))
        .containsOnlyKeys("SCRAM-SHA-256");
  }

  @Test
  void theCredentialsColumnMustBeAMapOfTheUserDefinedType() {
    assertThat(CassandraAccountStore.credentialType(
        DataTypes.mapOf(DataTypes.TEXT, SCRAM_CREDENTIAL))).isEqualTo(SCRAM_CREDENTIAL);
    assertThatThrownBy(() -> CassandraAccountStore.credentialType(
        DataTypes.mapOf(DataTypes.TEXT, DataTypes.BLOB)))
        .hasMessageContaining("is the schema at v2?");
  }

  @Test
  void migrationV2DeclaresExactlyTheFieldsTheStoreWrites() throws IOException {
    String cql = migration(2);
    Matcher type = Pattern.compile(
        "CREATE TYPE IF NOT EXISTS \\$\\{keyspace}\\.scram_credential \\(([^)]*)\\)").matcher(cql);
    assertThat(type.find()).isTrue();
    Set<String> fields = new LinkedHashSet<>();
    for (String line : type.group(1).split(",")) {
      fields.add(line.strip().replaceAll("\\s+", " "));
    }

    assertThat(fields).containsExactly(
        "mechanism text", "salt blob", "iterations int", "stored_key blob", "server_key blob");
    assertThat(cql).contains("ALTER TABLE ${keyspace}.accounts ADD IF NOT EXISTS "
        + "credentials map<text, frozen<scram_credential>>");
    assertThat(migration(1)).contains("${keyspace}.accounts");
  }
}
