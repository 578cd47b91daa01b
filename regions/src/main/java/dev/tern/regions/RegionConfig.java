package dev.tern.regions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tern.directory.DirectoryConfig;
import dev.tern.directory.presence.PresenceTiming;
import dev.tern.edge.EdgeConfig;
import dev.tern.router.RouterConfig;
import dev.tern.router.chats.ChatSettings;
import dev.tern.storage.CassandraConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one typed configuration of a Tern region process.
 *
 * <p>It is read from {@code defaults.yaml} (every option, its default and what it means), then
 * the region's file (only what differs per region), then environment variables: every option
 * {@code a.bB} can be overridden by {@code TERN_A_B_B} (lists as comma-separated values). An
 * unknown key or a bad value fails start-up with the key's name.
 */
public record RegionConfig(
    String region,
    String domain,
    Set<String> roles,
    String dataDir,
    Http http,
    Xmpp xmpp,
    Cassandra cassandra,
    Directory directory,
    Nats nats,
    Media media,
    Messages messages,
    Faults faults) {

  /** Roles a process can take; the local federation runs both in one JVM per region. */
  public static final Set<String> ROLES = Set.of("edge", "router");

  /** {@code admin}: whether {@code /admin/*} is served (to loopback clients only). */
  public record Http(String host, int port, boolean admin) {}

  public record Listener(String host, int port) {}

  public record Xmpp(Listener c2s, Listener directTls, boolean webSocket, boolean registration,
      Tls tls, Limits limits, Proxy65 proxy65) {}

  /** {@code publicHost}: the host clients are told to connect to; empty: {@code host}. */
  public record Proxy65(boolean enabled, String host, int port, String publicHost) {}

  public record Tls(String certificateChain, String privateKey, EdgeConfig.Tls.TlsProvider provider) {}

  public record Limits(DataSize maxStanzaSize, int maxDepth, int maxAttributes,
      Duration preAuthTimeout, int connectionRatePerIp, int connectionBurstPerIp, DataSize rate,
      DataSize burst, Duration floodTolerance, int maxStanzasInFlight,
      int registrationsPerIpPerHour, int registrationsPerSecond) {}

  public record Cassandra(List<String> contactPoints, String localDatacenter, String keyspace,
      Map<String, Integer> replication, Duration requestTimeout, int connectionsPerNode) {}

  public record Directory(List<String> nodes, Duration timeout, Presence presence) {}

  public record Presence(Duration ttl, Duration heartbeat, Duration nearCache) {}

  /** {@code monitoring}: the HTTP monitoring endpoints of the region's NATS servers. */
  public record Nats(List<String> servers, Duration timeout, List<String> monitoring) {}

  public record Media(String endpoint, String bucket) {}

  /**
   * @param retention how long messages and their history are kept; 0: for ever
   * @param shards shards of each region's chats (one lease each)
   * @param lease how long a chat lease lasts unless renewed
   * @param routerName this router's stable name; empty: {@code <region>-router}
   */
  public record Messages(Duration retention, int shards, Duration lease, String routerName) {}

  /** Fault injection for the test suite; empty in production. */
  public record Faults(String haltAfterPersist) {}

  public RegionConfig {
    requireNonNull(region, "region");
    requireNonNull(domain, "domain");
    roles = Set.copyOf(requireNonNull(roles, "roles"));
    requireNonNull(dataDir, "dataDir");
    requireNonNull(http, "http");
    requireNonNull(xmpp, "xmpp");
    requireNonNull(cassandra, "cassandra");
    requireNonNull(directory, "directory");
    requireNonNull(nats, "nats");
    requireNonNull(media, "media");
    requireNonNull(faults, "faults");
    requireNonNull(messages, "messages");
    if (messages.retention().isNegative()
        || messages.retention().getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("messages.retention: 0 (for ever) or a positive duration"
          + " of at most 68 years, not " + messages.retention());
    }
    if (!region.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("region: lower-case letters, digits and '-' only: " + region);
    }
    if (domain.isBlank()) {
      throw new IllegalArgumentException("domain: must not be empty");
    }
    if (roles.isEmpty() || !ROLES.containsAll(roles)) {
      throw new IllegalArgumentException("roles: one or both of " + ROLES + ", not " + roles);
    }
    requirePort("http.port", http.port());
    requirePort("xmpp.c2s.port", xmpp.c2s().port());
    requirePort("xmpp.directTls.port", xmpp.directTls().port());
    if (xmpp.proxy65().enabled()) {
      requirePort("xmpp.proxy65.port", xmpp.proxy65().port());
    }
    if (xmpp.tls().certificateChain().isBlank() != xmpp.tls().privateKey().isBlank()) {
      throw new IllegalArgumentException(
          "xmpp.tls: set both certificateChain and privateKey, or neither");
    }
    URI endpoint = URI.create(media.endpoint());
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("media.endpoint: not an http(s) URL: " + media.endpoint());
    }
    // The components' own configs validate the rest, with the same key names.
    cassandraConfig(cassandra);
    directoryConfig(directory);
    for (String url : nats.monitoring()) {
      URI monitor = URI.create(url);
      if (!"http".equals(monitor.getScheme()) && !"https".equals(monitor.getScheme())) {
        throw new IllegalArgumentException("nats.monitoring: not an http(s) URL: " + url);
      }
    }
    routerConfig(region, nats, faults, messages, cassandra);
    edgeConfig(region, domain, xmpp, nats, dataDir);
  }

  public CassandraConfig cassandraConfig() {
    return cassandraConfig(cassandra);
  }

  private static CassandraConfig cassandraConfig(Cassandra cassandra) {
    List<InetSocketAddress> points = new ArrayList<>();
    for (String point : cassandra.contactPoints()) {
      points.add(hostPort("cassandra.contactPoints", point));
    }
    return new CassandraConfig(points, cassandra.localDatacenter(), cassandra.keyspace(),
        cassandra.replication(), cassandra.requestTimeout(), cassandra.connectionsPerNode());
  }

  public DirectoryConfig directoryConfig() {
    return directoryConfig(directory);
  }

  private static DirectoryConfig directoryConfig(Directory directory) {
    Presence p = directory.presence();
    return new DirectoryConfig(directory.nodes(), directory.timeout(),
        new PresenceTiming(p.ttl(), p.heartbeat(), p.nearCache()));
  }

  public RouterConfig routerConfig() {
    return routerConfig(region, nats, faults, messages, cassandra);
  }

  private static RouterConfig routerConfig(String region, Nats nats, Faults faults,
      Messages messages, Cassandra cassandra) {
    // Regions in the order of their names: each starts epochs of its own (ChatSettings).
    List<String> regions = cassandra.replication().keySet().stream().sorted().toList();
    int slot = regions.indexOf(region);
    if (slot < 0 || slot >= ChatSettings.MAX_REGIONS) {
      throw new IllegalArgumentException("cassandra.replication: must name this region ("
          + region + ") among at most " + ChatSettings.MAX_REGIONS + " regions");
    }
    String name = messages.routerName().isBlank() ? region + "-router" : messages.routerName();
    return new RouterConfig(region, nats.servers(), nats.timeout(),
        Optional.of(faults.haltAfterPersist()).filter(s -> !s.isBlank()),
        new ChatSettings(messages.shards(), messages.lease(), name, slot,
            java.util.Set.copyOf(regions)));
  }

  public EdgeConfig edgeConfig() {
    return edgeConfig(region, domain, xmpp, nats, dataDir);
  }

  private static EdgeConfig edgeConfig(String region, String domain, Xmpp xmpp, Nats nats,
      String dataDir) {
    Limits l = xmpp.limits();
    return new EdgeConfig(region, domain, nats.servers(), nats.timeout(),
        InetSocketAddress.createUnresolved(xmpp.c2s().host(), xmpp.c2s().port()),
        InetSocketAddress.createUnresolved(xmpp.directTls().host(), xmpp.directTls().port()),
        xmpp.webSocket(), xmpp.registration(),
        new EdgeConfig.Tls(optionalPath(xmpp.tls().certificateChain()),
            optionalPath(xmpp.tls().privateKey()), Path.of(dataDir).resolve("tls"),
            xmpp.tls().provider()),
        new EdgeConfig.Limits(l.maxStanzaSize().intBytes(), l.maxDepth(), l.maxAttributes(),
            l.preAuthTimeout(), l.connectionRatePerIp(), l.connectionBurstPerIp(),
            l.rate().bytes(), l.burst().bytes(), l.floodTolerance(), l.maxStanzasInFlight(),
            l.registrationsPerIpPerHour(), l.registrationsPerSecond()),
        proxy(domain, xmpp.proxy65()));
  }

  private static java.util.Optional<EdgeConfig.Proxy> proxy(String domain, Proxy65 p) {
    if (!p.enabled()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new EdgeConfig.Proxy("proxy." + domain,
        InetSocketAddress.createUnresolved(p.host(), p.port()),
        p.publicHost().isBlank() ? p.host() : p.publicHost()));
  }

  private static java.util.Optional<Path> optionalPath(String path) {
    return path.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(path));
  }

  private static InetSocketAddress hostPort(String key, String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(key + ": not host:port: " + value);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": not host:port: " + value);
    }
    requirePort(key, port);
    return InetSocketAddress.createUnresolved(value.substring(0, colon), port);
  }

  private static void requirePort(String key, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(key + ": not a TCP port: " + port);
    }
  }

  // ---- loading ----

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .registerModule(new SimpleModule()
          .addDeserializer(Duration.class, new DurationDeserializer())
          .addDeserializer(DataSize.class, new DataSizeDeserializer()));

  /** Reads {@code file} over the defaults, then applies {@code env} overrides. */
  public static RegionConfig load(Path file, Map<String, String> env) {
    try {
      return load(Files.readString(file), env, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config " + file, e);
    }
  }

  static RegionConfig load(String yaml, Map<String, String> env, String source) {
    ObjectNode tree = defaults();
    JsonNode file;
    try {
      file = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (file != null && !file.isMissingNode() && !file.isNull()) {
      if (!file.isObject()) {
        throw new IllegalArgumentException(source + ": must be a mapping of options");
      }
      merge(tree, (ObjectNode) file, "", source);
    }
    applyEnv(tree, "", env);
    try {
      return YAML.treeToValue(tree, RegionConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(source + ": unknown option '" + path(e) + "'", e);
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      throw new IllegalArgumentException(source + ": option '" + path(e) + "': "
          + (cause == e ? e.getOriginalMessage() : cause.getMessage()), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static ObjectNode defaults() {
    try (InputStream in = RegionConfig.class.getResourceAsStream("defaults.yaml")) {
      return (ObjectNode) YAML.readTree(requireNonNull(in, "defaults.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Overlays {@code file} on {@code base}; maps merge key by key, anything else replaces. */
  private static void merge(ObjectNode base, ObjectNode file, String prefix, String source) {
    Iterator<Map.Entry<String, JsonNode>> fields = file.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = prefix + field.getKey();
      JsonNode existing = base.get(field.getKey());
      if (existing == null) {
        throw new IllegalArgumentException(source + ": unknown option '" + key + "'");
      }
      boolean openMap = key.equals("cassandra.replication");
      if (existing.isObject() && field.getValue().isObject() && !openMap) {
        merge((ObjectNode) existing, (ObjectNode) field.getValue(), key + ".", source);
      } else {
        base.set(field.getKey(), field.getValue());
      }
    }
  }

  /** {@code TERN_} + the option's path in upper snake case overrides the option. */
  private static void applyEnv(ObjectNode node, String prefix, Map<String, String> env) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    fields.forEachRemaining(entries::add);
    for (Map.Entry<String, JsonNode> field : entries) {
      String key = prefix + field.getKey();
      String value = env.get(envName(key));
      if (value != null) {
        node.set(field.getKey(), fromEnv(field.getValue(), value));
      } else if (field.getValue().isObject() && !key.equals("cassandra.replication")) {
        applyEnv((ObjectNode) field.getValue(), key + ".", env);
      }
    }
  }

  private static JsonNode fromEnv(JsonNode current, String value) {
    if (current.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          array.add(item.strip());
        }
      }
      return array;
    }
    if (current.isObject()) { // cassandra.replication: dc=n,dc=n
      ObjectNode map = JsonNodeFactory.instance.objectNode();
      for (String item : value.split(",")) {
        String[] kv = item.split("=", 2);
        if (kv.length == 2) {
          map.put(kv[0].strip(), kv[1].strip());
        }
      }
      return map;
    }
    return TextNode.valueOf(value);
  }

  /** {@code cassandra.localDatacenter} → {@code TERN_CASSANDRA_LOCAL_DATACENTER}. */
  static String envName(String key) {
    return "TERN_" + key.replace('.', '_')
        .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
        .toUpperCase(Locale.ROOT);
  }

  private static final class DataSizeDeserializer extends JsonDeserializer<DataSize> {
    @Override
    public DataSize deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return DataSize.parse(p.getValueAsString(""));
    }
  }

  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return Durations.parse(p.getValueAsString(""));
    }
  }
}
