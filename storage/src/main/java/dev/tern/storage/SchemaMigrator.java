package dev.tern.storage;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned CQL migrations {@code migrations/v1.cql}, {@code v2.cql}… in order and
 * records each in {@code schema_migrations}.
 *
 * <p>Cassandra 5.0 spreads schema by gossip, so two coordinators creating the same table at once
 * can disagree on its id. Migrations are therefore run by one process at a time: the launcher
 * runs them before it starts any region process, and a region process that finds the schema
 * current does nothing.
 */
public final class SchemaMigrator {

  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
  private static final String RESOURCE_DIR = "migrations/";

  /** What a run did. */
  public record Result(int fromVersion, int toVersion) {}

  private final CqlSession session;
  private final CassandraConfig config;

  SchemaMigrator(CqlSession session, CassandraConfig config) {
    this.session = session;
    this.config = config;
  }

  Result migrate() {
    String ks = config.keyspace();
    session.execute("CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = "
        + replicationLiteral(config.replication()) + " AND durable_writes = true");
    session.execute("CREATE TABLE IF NOT EXISTS " + ks + ".schema_migrations ("
        + "version int PRIMARY KEY, description text, applied_at timestamp)");
    Set<Integer> applied = new TreeSet<>();
    for (Row row : session.execute("SELECT version FROM " + ks + ".schema_migrations")) {
      applied.add(row.getInt(0));
    }
    int from = applied.stream().mapToInt(Integer::intValue).max().orElse(0);
    int to = from;
    for (Migration m : migrations()) {
      if (applied.contains(m.version())) {
        continue;
      }
      log.info("applying schema migration v{} to keyspace {}: {}", m.version(), ks, m.description());
      for (String statement : m.statements()) {
        session.execute(statement.replace("${keyspace}", ks));
      }
      if (!session.checkSchemaAgreement()) {
        throw new IllegalStateException("schema did not agree after migration v" + m.version());
      }
      session.execute(session.prepare("INSERT INTO " + ks
              + ".schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")
          .bind(m.version(), m.description(), Instant.now()));
      to = Math.max(to, m.version());
    }
    return new Result(from, to);
  }

  static String replicationLiteral(Map<String, Integer> replication) {
    return replication.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> "'" + e.getKey().replace("'", "''") + "': " + e.getValue())
        .collect(Collectors.joining(", ",
            "{'class': 'NetworkTopologyStrategy', ", "}"));
  }

  /** One migration file: a first line {@code -- description}, then statements ended by ';'. */
  record Migration(int version, String description, List<String> statements) {}

  /** The migrations on the classpath, v1 upwards, stopping at the first missing number. */
  static List<Migration> migrations() {
    List<Migration> out = new ArrayList<>();
    for (int v = 1; ; v++) {
      String text = resource(RESOURCE_DIR + "v" + v + ".cql");
      if (text == null) {
        return out;
      }
      out.add(parse(v, text));
    }
  }

  static Migration parse(int version, String text) {
    String description = "";
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--")) {
        if (description.isEmpty()) {
          description = trimmed.substring(2).strip();
        }
        continue;
      }
      body.append(line).append('\n');
    }
    List<String> statements = new ArrayList<>();
    for (String s : body.toString().split(";")) {
      String st = s.strip();
      if (!st.isEmpty()) {
        statements.add(st);
      }
    }
    if (statements.isEmpty()) {
      throw new IllegalStateException("migration v" + version + " has no statement");
    }
    return new Migration(version, description, List.copyOf(statements));
  }

  private static @Nullable String resource(String name) {
    try (InputStream in = SchemaMigrator.class.getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
