package dev.tern.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens many idle authenticated XMPP connections (STARTTLS or WebSocket, SCRAM-SHA-1, bind,
 * presence) to one server process and prints logins per second and the server's resident
 * memory per connection, read from {@code /proc/<pid>/status}: the slope of a line fitted through
 * {@code --readings} readings (default 5: after the warm-up, then evenly spaced to the end), and
 * the growth between the first and the last of them.
 *
 * <pre>
 * java -cp … dev.tern.bench.ConnectionsBenchmark --transport starttls --connections 10000 \
 *     --server-pid 1234 --cert var/data/tern-region-a/tls/localhost.crt.pem
 * </pre>
 *
 * <p>Options for looking closer (benchmarks/run-connections.sh does not use them):
 * {@code --nmt 1} prints the server's native memory summary at both readings (the server must run
 * with {@code -XX:NativeMemoryTracking=summary}); {@code --hold-warm-seconds N} and
 * {@code --hold-seconds N} keep the connections open after the warm-up and at the end, for
 * {@code jcmd}, {@code pmap} and the like.
 */
public final class ConnectionsBenchmark {

  /** One client for every metrics read (settling polls once a second). */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ConnectionsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    String transport = o.getOrDefault("transport", "starttls");
    String host = o.getOrDefault("host", "127.0.0.1");
    int port = Integer.parseInt(o.getOrDefault("port", "5222"));
    URI ws = URI.create(o.getOrDefault("ws", "ws://127.0.0.1:5280/ws"));
    String domain = o.getOrDefault("domain", "localhost");
    int connections = Integer.parseInt(o.getOrDefault("connections", "1000"));
    int users = Integer.parseInt(o.getOrDefault("users", "100"));
    int userOffset = Integer.parseInt(o.getOrDefault("user-offset", "0"));
    int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "100"));
    long pid = Long.parseLong(o.getOrDefault("server-pid", "0"));
    String metrics = o.getOrDefault("metrics", "http://127.0.0.1:5280/metrics");
    String password = "bench-password-1";
    List<String> sources = Arrays.asList(o.getOrDefault("sources",
        "127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4").split(","));
    SslContext tls = SslContextBuilder.forClient()
        .trustManager(new File(o.getOrDefault("cert", "var/data/tern-region-a/tls/localhost.crt.pem")))
        .protocols("TLSv1.3").build();
    boolean webSocket = transport.equals("websocket");

    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try {
      Runner runner = new Runner(group, webSocket, host, port, ws, tls, domain, sources);
      System.out.printf("registering %d users (in-band, existing ones are reused)...%n", users);
      List<Channel> ignored = runner.run(users, Math.min(concurrency, 20), i ->
          new LoginHandler(LoginHandler.Mode.REGISTER, false, tls, domain, user(userOffset + i), password, ""),
          false);
      ignored.forEach(Channel::close);

      // Memory is read after a warm-up batch and again after the rest: the growth between the two
      // is what each further idle connection costs, without the process's fixed costs (JIT code,
      // buffer pools, thread caches) that the first connections bring. Before each reading the
      // server collects its heap and returns freed native memory (jcmd GC.run and
      // System.trim_native_heap; Tern's processes also trim by themselves every minute), so
      // garbage left by the logins is not counted as connection state.
      int warmup = Math.min(connections, Integer.parseInt(o.getOrDefault("warmup", "1000")));
      List<Channel> open = new ArrayList<>(runner.run(warmup, concurrency, i ->
          new LoginHandler(LoginHandler.Mode.LOGIN, webSocket, tls, domain, user(userOffset + i % users),
              password, "r" + i), true));
      settle(metrics);
      long rssBase = rssKib(pid);
      long rss0 = collect(pid);
      String nmt0 = o.containsKey("nmt") ? nmt(pid) : "";
      long holdWarm = Long.parseLong(o.getOrDefault("hold-warm-seconds", "0"));
      if (holdWarm > 0) {
        System.out.printf("warm: holding %d connections for %d s%n", open.size(), holdWarm);
        Thread.sleep(holdWarm * 1000);
      }
      double heap0 = heapBytes(metrics);
      // Further readings on the way: the growth per connection is the slope of a line fitted
      // through all of them (least squares), steadier than two readings, each of which moves with
      // whatever the process happened to hold at that moment.
      int readings = Math.max(2, Integer.parseInt(o.getOrDefault("readings", "5")));
      List<long[]> points = new ArrayList<>();
      points.add(new long[] {open.size(), rss0});
      double seconds = 0;
      int rest = connections - warmup;
      long rssRaw = rssBase;
      long rss1 = rss0;
      for (int step = 1; step < readings; step++) {
        int from = warmup + (int) ((long) rest * (step - 1) / (readings - 1));
        int to = warmup + (int) ((long) rest * step / (readings - 1));
        long t0 = System.nanoTime();
        open.addAll(runner.run(to - from, concurrency, i ->
            new LoginHandler(LoginHandler.Mode.LOGIN, webSocket, tls, domain,
                user(userOffset + (from + i) % users), password, "r" + (from + i)), true));
        seconds += (System.nanoTime() - t0) / 1e9;
        settle(metrics);
        rssRaw = rssKib(pid);
        rss1 = collect(pid);
        points.add(new long[] {open.size(), rss1});
      }
      int measured = open.size() - warmup;
      double slope = slope(points);
      if (o.containsKey("nmt")) {
        System.out.println("NMT at warm-up: " + nmt0);
        System.out.println("NMT at the end: " + nmt(pid));
      }
      double heap1 = heapBytes(metrics);
      System.out.printf("transport %s: %d idle authenticated connections (%d users); the last %d "
              + "logged in in %.1f s = %.0f logins/s at concurrency %d (%d failed)%n",
          transport, open.size(), users, connections - warmup, seconds, measured / seconds,
          concurrency, connections - open.size());
      if (pid > 0) {
        System.out.printf("server pid %d resident memory, collected: %d MiB at %d connections, "
                + "%d MiB at %d: %.1f KiB per further connection%n", pid, rss0 / 1024, warmup,
            rss1 / 1024, open.size(), (rss1 - rss0) / (double) Math.max(1, measured));
        System.out.printf("  (uncollected, as the logins left it: %d MiB at %d, %d MiB at %d: "
                + "%.1f KiB per connection)%n", rssBase / 1024, warmup, rssRaw / 1024, open.size(),
            (rssRaw - rssBase) / (double) Math.max(1, measured));
      }
      if (heap0 >= 0 && heap1 >= 0) {
        System.out.printf("server JVM heap in use after collection: %.0f MiB, then %.0f MiB: "
                + "%.1f KiB per further connection%n", heap0 / 1048576, heap1 / 1048576,
            (heap1 - heap0) / 1024 / Math.max(1, measured));
      }
      if (pid > 0) {
        StringBuilder at = new StringBuilder();
        for (long[] p : points) {
          at.append(String.format(" %d:%d", p[0], p[1] / 1024));
        }
        System.out.printf("resident memory (connections:MiB, collected)%s: fitted slope %.1f KiB "
            + "per connection%n", at, slope);
      }
      System.out.printf("RESULT transport=%s connections=%d measured=%d seconds=%.3f "
              + "rss0_kib=%d rss1_kib=%d slope_kib=%.3f%n", transport, open.size(), measured,
          seconds, rss0, rss1, slope);
      long hold = Long.parseLong(o.getOrDefault("hold-seconds", "0"));
      if (hold > 0) {
        System.out.printf("holding the connections for %d s%n", hold);
        Thread.sleep(hold * 1000);
      }
      for (Channel c : open) {
        c.close();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Least-squares slope of resident KiB over connections, through (connections, KiB) points. */
  static double slope(List<long[]> points) {
    double n = points.size();
    double mx = points.stream().mapToDouble(p -> p[0]).sum() / n;
    double my = points.stream().mapToDouble(p -> p[1]).sum() / n;
    double sxy = 0;
    double sxx = 0;
    for (long[] p : points) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
    }
    return sxx == 0 ? 0 : sxy / sxx;
  }

  static String user(int i) {
    return "bench" + i;
  }

  /**
   * Waits until the server has finished what the last logins started (presence to each account's
   * other resources, probes, roster pushes): until the stanzas its edge delivers stop growing for
   * three seconds, at most two minutes. Idle connections are what is measured.
   */
  private static void settle(String metricsUrl) throws InterruptedException {
    long start = System.nanoTime();
    double last = -1;
    int quiet = 0;
    while (quiet < 3 && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(2)) {
      Thread.sleep(1000);
      double now = metricSum(metricsUrl, "tern_edge_stanzas_out_total{", "");
      quiet = now == last ? quiet + 1 : 0;
      last = now;
    }
    System.out.printf("  (the server was quiet after %.0f s)%n", (System.nanoTime() - start) / 1e9);
  }

  /** Opens connections with at most {@code concurrency} logins in flight. */
  private record Runner(EventLoopGroup group, boolean webSocket, String host, int port, URI ws,
      SslContext tls, String domain, List<String> sources) {

    interface Factory {
      LoginHandler create(int i);
    }

    List<Channel> run(int n, int concurrency, Factory factory, boolean loginTransport)
        throws Exception {
      Semaphore inFlight = new Semaphore(concurrency);
      List<Channel> ok = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger failures = new AtomicInteger();
      List<CompletableFuture<Long>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        inFlight.acquire();
        LoginHandler handler = factory.create(i);
        boolean useWs = loginTransport && webSocket;
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
            .handler(new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                if (useWs) {
                  ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                      new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                          .webSocketUri(ws).subprotocol("xmpp").handleCloseFrames(true).build()));
                }
                ch.pipeline().addLast(handler);
              }
            });
        InetSocketAddress remote = useWs ? new InetSocketAddress(ws.getHost(), ws.getPort())
            : new InetSocketAddress(host, port);
        ChannelFuture f = b.connect(remote, new InetSocketAddress(sources.get(i % sources.size()), 0));
        Channel ch = f.channel();
        f.addListener(cf -> {
          if (!cf.isSuccess()) {
            handler.done.completeExceptionally(cf.cause());
          }
        });
        all.add(handler.done.whenComplete((took, error) -> {
          inFlight.release();
          if (error == null) {
            ok.add(ch);
          } else if (failures.incrementAndGet() <= 3) {
            System.out.println("a login failed: " + error);
          }
        }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .exceptionally(e -> null).get(10, TimeUnit.MINUTES);
      return new ArrayList<>(ok);
    }
  }

  /**
   * Has the server collect its heap and give freed native memory back, then reads its resident
   * memory; plain {@link #rssKib} when no pid is known.
   */
  static long collect(long pid) throws Exception {
    if (pid > 0) {
      jcmd(pid, "GC.run");
      jcmd(pid, "System.trim_native_heap");
      Thread.sleep(1000);
    }
    return rssKib(pid);
  }

  /** The server's NMT summary lines for the total, the heap and native "Other", if NMT is on. */
  static String nmt(long pid) {
    try {
      StringBuilder out = new StringBuilder();
      for (String line : jcmd(pid, "VM.native_memory summary").split("\n")) {
        String l = line.strip();
        if (l.startsWith("Total:") || l.startsWith("-") && l.contains("committed=")) {
          out.append(l.replaceAll("\\s+", " ").replaceAll("reserved=\\d+KB, ", "")).append("; ");
        }
      }
      return out.toString();
    } catch (Exception e) {
      return "";
    }
  }

  private static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
    cmd.addAll(List.of(command.split(" ")));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  static long rssKib(long pid) throws Exception {
    if (pid <= 0) {
      return 0;
    }
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return 0;
  }

  /** Sum of jvm_memory_used_bytes{area="heap"} from the server's /metrics, or -1. */
  static double heapBytes(String metricsUrl) {
    return metricSum(metricsUrl, "jvm_memory_used_bytes{", "area=\"heap\"");
  }

  /** The sum of the samples whose line starts with {@code prefix} and contains {@code part}. */
  static double metricSum(String metricsUrl, String prefix, String part) {
    try {
      String body = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      double sum = 0;
      for (String line : body.split("\n")) {
        if (line.startsWith(prefix) && line.contains(part)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } catch (Exception e) {
      return -1;
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      out.put(args[i].substring(2), args[i + 1]);
    }
    return out;
  }
}
