package dev.tern.regions.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.directory.ClusterHealth;
import dev.tern.directory.GlobalDirectory;
import dev.tern.directory.presence.ConnectedResource;
import dev.tern.directory.presence.UserLocation;
import dev.tern.edge.http.HttpAnswer;
import dev.tern.edge.http.HttpCall;
import dev.tern.edge.http.HttpRoute;
import dev.tern.routing.NatsConnections;
import dev.tern.routing.RouterSubjects;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/where?user=alice@example.com} and {@code GET /admin/federation} on the
 * process's HTTP port, for operators; both answer loopback clients only (403 otherwise).
 *
 * <p>Each region process also answers {@code tern.<region>.admin.status} over NATS (queue group
 * {@code admin}) with its own view: its NATS servers' gateways and the directory's cluster
 * health. {@code /admin/federation} asks every region for it (itself directly), and pings each
 * region's routers ({@link RouterSubjects#ping}), so one call shows the whole federation as seen
 * from here.
 */
public final class AdminEndpoints implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminEndpoints.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String QUEUE_GROUP = "admin";

  private final String region;
  private final String domain;
  private final Connection nats;
  private final Duration timeout;
  private final GlobalDirectory directory;
  private final Function<String, CompletionStage<UserLocation>> where;
  private final NatsGateways gateways;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tern-admin");
    t.setDaemon(true);
    return t;
  });

  private AdminEndpoints(String region, String domain, Connection nats, Duration timeout,
      GlobalDirectory directory, Function<String, CompletionStage<UserLocation>> where,
      NatsGateways gateways) {
    this.region = region;
    this.domain = domain;
    this.nats = nats;
    this.timeout = timeout;
    this.directory = directory;
    this.where = where;
    this.gateways = gateways;
  }

  /** The status subject a region's processes answer. */
  public static String statusSubject(String region) {
    RouterSubjects.ping(region); // checks the name
    return "tern." + region + ".admin.status";
  }

  /**
   * Connects to the region's NATS and starts answering the region's status requests.
   *
   * @param where the lookup to use: the router's near-cached one when this process routes
   */
  public static AdminEndpoints start(String region, String domain, List<String> natsServers,
      Duration timeout, List<String> natsMonitoring, GlobalDirectory directory,
      Function<String, CompletionStage<UserLocation>> where)
      throws IOException, InterruptedException {
    requireNonNull(directory, "directory");
    requireNonNull(where, "where");
    Connection nats = NatsConnections.connect("tern-admin-" + region, natsServers, timeout);
    AdminEndpoints admin = new AdminEndpoints(region, domain, nats, timeout, directory, where,
        new NatsGateways(natsMonitoring, timeout));
    Dispatcher dispatcher = nats.createDispatcher();
    dispatcher.subscribe(statusSubject(region), QUEUE_GROUP, msg -> admin.executor.execute(() -> {
      try {
        nats.publish(msg.getReplyTo(), JSON.writeValueAsBytes(admin.localStatus()));
      } catch (IOException | RuntimeException e) {
        log.warn("admin status of {} not answered: {}", region, e.toString());
      }
    }));
    return admin;
  }

  /** The routes, for {@code HttpServer.start}. */
  public List<HttpRoute> routes() {
    return List.of(new HttpRoute("/admin/where", this::whereRoute),
        new HttpRoute("/admin/federation", this::federationRoute));
  }

  /** A user's bare JID (RFC 7622), in its prepared form; empty for anything else. */
  private static Optional<Jid> userJid(String text) {
    try {
      Jid jid = Jid.parse(text);
      return jid.local().isPresent() && jid.resource().isEmpty() ? Optional.of(jid)
          : Optional.empty();
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }

  private CompletionStage<HttpAnswer> whereRoute(HttpCall call) {
    if (!call.fromLoopback()) {
      return forbidden();
    }
    String user = call.parameter("user").map(String::strip).orElse("");
    Optional<Jid> jid = userJid(user.contains("@") ? user : user + "@" + domain);
    if (jid.isEmpty()) {
      return CompletableFuture.completedFuture(json(400, error(
          "give the user's bare JID: /admin/where?user=alice@" + domain)));
    }
    return where.apply(jid.get().toString())
        .thenApply(location -> json(200, toJson(location)))
        .exceptionally(e -> json(503, error("the global directory did not answer: "
            + (e.getCause() != null ? e.getCause() : e))));
  }

  private CompletionStage<HttpAnswer> federationRoute(HttpCall call) {
    if (!call.fromLoopback()) {
      return forbidden();
    }
    return CompletableFuture.supplyAsync(() -> json(200, federation()), executor);
  }

  /** What a user's location looks like in JSON. */
  public static ObjectNode toJson(UserLocation location) {
    ObjectNode out = JSON.createObjectNode();
    out.put("user", location.bareJid());
    out.put("online", location.online());
    location.regions().forEach(out.putArray("regions")::add);
    var resources = out.putArray("resources");
    for (ConnectedResource r : location.resources()) {
      ObjectNode node = resources.addObject();
      node.put("resource", r.resource());
      node.put("region", r.region());
      node.put("edge", r.edgeId());
      node.put("since", r.since().toString());
    }
    if (location.lastSeen().isPresent()) {
      out.put("lastSeen", location.lastSeen().get().toString());
    } else {
      out.putNull("lastSeen");
    }
    return out;
  }

  /** This process's view of its region: its gateways and the directory's cluster. */
  ObjectNode localStatus() {
    ObjectNode out = JSON.createObjectNode();
    out.put("region", region);
    out.set("gateways", gateways.report());
    ObjectNode dir = out.putObject("directory");
    try {
      ClusterHealth h = directory.health();
      dir.put("ok", h.ok());
      dir.put("clusterState", h.state());
      dir.put("mastersUp", h.mastersUp());
      dir.put("masters", h.masters());
      dir.put("replicasUp", h.replicasUp());
      dir.put("replicas", h.replicas());
    } catch (RuntimeException e) {
      dir.put("ok", false);
      dir.put("error", e.toString());
    }
    return out;
  }

  /** Every region's routers, gateways and directory, as seen from here. */
  ObjectNode federation() {
    ObjectNode local = localStatus();
    Set<String> regions = new TreeSet<>(NatsGateways.regions((ObjectNode) local.path("gateways")));
    regions.add(region);
    Map<String, CompletableFuture<JsonNode>> statuses = new LinkedHashMap<>();
    Map<String, CompletableFuture<ObjectNode>> routers = new LinkedHashMap<>();
    for (String r : regions) {
      statuses.put(r, r.equals(region) ? CompletableFuture.completedFuture(local)
          : CompletableFuture.supplyAsync(() -> remoteStatus(r), executor));
      routers.put(r, CompletableFuture.supplyAsync(() -> pingRouters(r), executor));
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("answeredBy", region);
    ObjectNode all = JSON.createObjectNode();
    boolean ok = true;
    for (String r : regions) {
      JsonNode status = statuses.get(r).join();
      ObjectNode node = all.putObject(r);
      ObjectNode router = routers.get(r).join();
      node.set("router", router);
      node.set("gateways", status.path("gateways"));
      node.set("directory", status.path("directory"));
      ok &= router.path("up").asBoolean() && status.path("gateways").path("connected").asBoolean()
          && status.path("directory").path("ok").asBoolean();
    }
    out.put("ok", ok);
    out.set("regions", all);
    return out;
  }

  private JsonNode remoteStatus(String r) {
    try {
      Message reply = nats.request(statusSubject(r), new byte[0], timeout);
      if (reply != null) {
        return JSON.readTree(reply.getData());
      }
    } catch (IOException | RuntimeException e) {
      return unreachable(r, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return unreachable(r, "no process of " + r + " answered within " + timeout);
  }

  private static JsonNode unreachable(String r, String why) {
    ObjectNode out = JSON.createObjectNode();
    out.putObject("gateways").put("connected", false).put("error", why);
    out.putObject("directory").put("ok", false).put("error", why);
    return out;
  }

  private ObjectNode pingRouters(String r) {
    ObjectNode out = JSON.createObjectNode();
    long start = System.nanoTime();
    try {
      Message reply = nats.request(RouterSubjects.ping(r), new byte[0], timeout);
      if (reply != null) {
        out.put("up", true);
        out.put("id", new String(reply.getData(), StandardCharsets.UTF_8));
        out.put("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return out;
      }
      out.put("error", "no router answered within " + timeout);
    } catch (RuntimeException e) {
      out.put("error", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.put("error", "interrupted");
    }
    out.put("up", false);
    return out;
  }

  private static CompletionStage<HttpAnswer> forbidden() {
    return CompletableFuture.completedFuture(json(403, error("admin endpoints answer loopback only")));
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static HttpAnswer json(int status, JsonNode body) {
    return HttpAnswer.text(status, "application/json", body.toPrettyString() + "\n");
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    nats.close();
  }
}
