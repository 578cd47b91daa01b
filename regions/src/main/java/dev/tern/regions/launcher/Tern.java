package dev.tern.regions.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.tern.regions.RegionConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * {@code ./tern up | down | status | reset | restart-tern | where <user> | start-edge <region>
 * <name> <port offset> | stop-edge <name>}: see the README.
 */
public final class Tern {

  private Tern() {}

  public static void main(String[] args) throws Exception {
    // The launcher's own logs are noise for a terminal; its messages are printed.
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
    ((Logger) LoggerFactory.getLogger("com.datastax.oss.driver")).setLevel(Level.ERROR);
    PrintStream out = System.out;
    String command = args.length == 0 ? "status" : args[0];
    Federation federation = new Federation(layout(), System.getProperty("java.class.path"));
    try {
      switch (command) {
        case "up" -> {
          federation.up(out);
          printConnectionHelp(federation, out);
        }
        case "down" -> {
          federation.down(out);
          out.println("federation stopped");
        }
        case "status" -> printStatus(federation, out);
        case "restart-tern" -> federation.restartTern(out);
        case "where" -> {
          if (args.length != 2) {
            System.err.println("usage: ./tern where <user>   (alice or alice@localhost)");
            System.exit(2);
          }
          System.exit(Where.print(federation.layout(), args[1], out, System.err));
        }
        case "start-edge" -> {
          // an extra edge-only process of a region, ports moved by an offset (benchmarks, tests)
          if (args.length != 4 || !args[2].matches("[a-z0-9-]+") || !args[3].matches("\\d+")) {
            System.err.println("usage: ./tern start-edge <region> <name> <port offset>");
            System.exit(2);
          }
          var edge = federation.startExtraEdge(args[1], args[2], Integer.parseInt(args[3]));
          out.printf("%s: edge of %s on %s%n", args[2], args[1], String.join(", ",
              edge.endpoints().stream().map(e -> e.host() + ":" + e.port()).toList()));
        }
        case "stop-edge" -> {
          if (args.length != 2) {
            System.err.println("usage: ./tern stop-edge <name>");
            System.exit(2);
          }
          federation.stopMember(args[1]);
        }
        case "reset" -> {
          federation.reset(out);
          out.println("federation stopped and its data under " + federation.layout().home()
              + " wiped");
        }
        default -> {
          System.err.println("tern: unknown command '" + command + "' (up, down, status, reset, restart-tern, where, start-edge, stop-edge)");
          System.exit(2);
        }
      }
    } catch (LaunchException e) {
      System.err.println("tern: " + e.getMessage());
      System.exit(1);
    }
    System.exit(0);
  }

  /** From {@code -Dtern.root}, {@code TERN_HOME} and {@code TERN_DIST}, as {@code ./tern} sets them. */
  static Layout layout() {
    Path root = Path.of(System.getProperty("tern.root", "."));
    Map<String, String> env = System.getenv();
    Path home = Path.of(env.getOrDefault("TERN_HOME", root.resolve("var").toString()));
    Path dist = Path.of(env.getOrDefault("TERN_DIST", root.resolve("var/dist").toString()));
    return new Layout(root, home, dist);
  }

  static void printStatus(Federation federation, PrintStream out) {
    out.printf("%-10s %-18s %-8s %8s %8s  %-46s %s%n",
        "COMPONENT", "MEMBER", "PID", "RSS MiB", "PEAK MiB", "PORTS", "LOG");
    long rss = 0;
    long peak = 0;
    for (Federation.MemberStatus s : federation.status()) {
      String ports = String.join(", ", s.member().endpoints().stream()
          .map(e -> e.host() + ":" + e.port()).toList());
      out.printf("%-10s %-18s %-8s %8s %8s  %-46s %s%n", s.component(), s.member().name(),
          s.running() ? Long.toString(s.pid()) : "stopped",
          s.running() ? Long.toString(s.rssKib() / 1024) : "-",
          s.running() ? Long.toString(s.peakKib() / 1024) : "-",
          ports, federation.layout().home().relativize(s.log()));
      rss += s.rssKib();
      peak += s.peakKib();
    }
    out.printf("whole federation: %d MiB resident now, at most %d MiB at its peak "
        + "(sum of each process's peak)%n", rss / 1024, peak / 1024);
  }

  static void printConnectionHelp(Federation federation, PrintStream out) {
    out.println();
    for (String region : Federation.REGIONS) {
      RegionConfig c = RegionConfig.load(federation.layout().regionConfig(region), Map.of());
      out.printf("%s: XMPP %s:%d (STARTTLS), %s:%d (Direct TLS), ws://%s:%d/ws; HTTP /health, /metrics%n",
          region, c.xmpp().c2s().host(), c.xmpp().c2s().port(), c.xmpp().directTls().host(),
          c.xmpp().directTls().port(), c.http().host(), c.http().port());
    }
    RegionConfig a = RegionConfig.load(federation.layout().regionConfig("region-a"), Map.of());
    out.println("domain '" + a.domain() + "'" + (a.xmpp().registration()
        ? ": any client can register an account (XEP-0077)" : "") + "; logs under "
        + federation.layout().home().resolve("log") + "; ./tern status, ./tern down");
  }
}
