package dev.tern.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

  @Test
  void migrationsAreNumberedFromOneWithoutGaps() {
    List<SchemaMigrator.Migration> migrations = SchemaMigrator.migrations();

    assertThat(migrations).isNotEmpty();
    for (int i = 0; i < migrations.size(); i++) {
      assertThat(migrations.get(i).version()).isEqualTo(i + 1);
      assertThat(migrations.get(i).description()).isNotBlank();
      assertThat(migrations.get(i).statements()).allSatisfy(
          s -> assertThat(s).contains("${keyspace}."));
    }
  }

  @Test
  void aMigrationSplitsIntoStatementsAndTakesItsFirstCommentAsDescription() {
    SchemaMigrator.Migration m = SchemaMigrator.parse(7, """
        -- rosters and groups
        -- a second comment is not the description
        CREATE TABLE ${keyspace}.a (k int PRIMARY KEY);

        CREATE TABLE ${keyspace}.b (k int PRIMARY KEY);
        """);

    assertThat(m.version()).isEqualTo(7);
    assertThat(m.description()).isEqualTo("rosters and groups");
    assertThat(m.statements()).containsExactly(
        "CREATE TABLE ${keyspace}.a (k int PRIMARY KEY)",
        "CREATE TABLE ${keyspace}.b (k int PRIMARY KEY)");
  }

  @Test
  void aMigrationWithoutStatementsIsRefused() {
    assertThatThrownBy(() -> SchemaMigrator.parse(3, "-- nothing\n"))
        .hasMessageContaining("v3");
  }

  @Test
  void replicationIsNetworkTopologyStrategyWithOneEntryPerDatacenter() {
    assertThat(SchemaMigrator.replicationLiteral(Map.of("region-b", 1, "region-a", 3)))
        .isEqualTo("{'class': 'NetworkTopologyStrategy', 'region-a': 3, 'region-b': 1}");
  }
}
