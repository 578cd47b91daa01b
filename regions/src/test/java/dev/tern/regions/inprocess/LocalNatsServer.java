package dev.tern.regions.inprocess;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One plain {@code nats-server} (no cluster, no JetStream) as a child process on a loopback port
 * the server picks itself ({@code -p -1}) and reports in its ports file, so it never collides
 * with a running local federation or another test run. {@link #close()} stops it; so does a JVM
 * shutdown hook, should the test JVM be stopped before.
 */
final class LocalNatsServer implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Pattern URL = Pattern.compile("\"(nats://[^\"]+)\"");

  private final Process process;
  private final Thread killer;
  private final String url;

  private LocalNatsServer(Process process, Thread killer, String url) {
    this.process = process;
    this.killer = killer;
    this.url = url;
  }

  /**
   * Where {@code ./tern}'s {@code prepare} installs nats-server: {@code $TERN_DIST/nats}, else
   * {@code var/dist/nats} under the repository ({@code tern.root}, which the build sets).
   */
  static Path binary() {
    String dist = System.getenv("TERN_DIST");
    Path base = dist != null && !dist.isBlank()
        ? Path.of(dist)
        : repositoryRoot().resolve("var").resolve("dist");
    return base.resolve("nats").resolve("nats-server").toAbsolutePath().normalize();
  }

  private static Path repositoryRoot() {
    String root = System.getProperty("tern.root");
    if (root != null && !root.isBlank()) {
      return Path.of(root);
    }
    // Run from an IDE: the working directory is the module or the repository.
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("tern")) && Files.isDirectory(p.resolve("regions"))) {
        return p;
      }
    }
    return here;
  }

  /** Starts the server with its ports file and log under {@code dir}; returns once it accepts. */
  static LocalNatsServer start(Path dir) throws IOException, InterruptedException {
    Path binary = binary();
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("nats-server is missing at " + binary
          + ": the in-process tests need it; `./tern test-fast` (or `./tern test`, `./tern up`) "
          + "installs it there");
    }
    Path ports = Files.createDirectories(dir.resolve("ports"));
    Path log = dir.resolve("nats-server.log");
    Process process = new ProcessBuilder(List.of(binary.toString(),
        "-a", HOST, "-p", "-1", "-n", "tern-inprocess", "--ports_file_dir", ports.toString()))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    Thread killer = new Thread(process::destroyForcibly, "nats-server-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      String url = awaitUrl(process, ports, log);
      awaitInfo(url);
      return new LocalNatsServer(process, killer, url);
    } catch (IOException | InterruptedException | RuntimeException e) {
      stop(process);
      removeHook(killer);
      throw e;
    }
  }

  /** The ports file names the client URL once the server listens. */
  private static String awaitUrl(Process process, Path ports, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Path file = ports.resolve("nats-server_" + process.pid() + ".ports");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nats-server exited with " + process.exitValue()
            + ": " + tail(log));
      }
      if (Files.isRegularFile(file)) {
        Matcher m = URL.matcher(Files.readString(file));
        if (m.find()) {
          return m.group(1);
        }
      }
      // A ports file appears within milliseconds; poll rather than watch the directory.
      process.waitFor(20, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("nats-server did not report its port within " + START_TIMEOUT
        + ": " + tail(log));
  }

  /** A NATS server greets every client with {@code INFO}: then it takes connections. */
  private static void awaitInfo(String url) throws IOException {
    java.net.URI uri = java.net.URI.create(url);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
      s.setSoTimeout(5_000);
      InputStream in = s.getInputStream();
      byte[] greeting = in.readNBytes(4);
      if (!new String(greeting, StandardCharsets.US_ASCII).equals("INFO")) {
        throw new IOException("not a NATS server at " + url);
      }
    }
  }

  /** {@code nats://127.0.0.1:<port>}. */
  String url() {
    return url;
  }

  @Override
  public void close() throws InterruptedException {
    stop(process);
    removeHook(killer);
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private static String tail(Path log) {
    try (Stream<String> lines = Files.lines(log)) {
      List<String> all = lines.toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - 10), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
