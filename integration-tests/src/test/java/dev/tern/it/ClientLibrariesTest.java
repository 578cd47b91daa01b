package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tern.regions.RegionConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Besides Smack, two client libraries that users run log in to Tern and exchange a message,
 * over every transport each of them has (issue 13): slixmpp (Python, Debian's python3-slixmpp)
 * over STARTTLS and Direct TLS (slixmpp 1.8 has no WebSocket transport), and xmpp.js
 * ({@code @xmpp/client} from npm, as {@code clients/js/package-lock.json} pins it) over STARTTLS,
 * Direct TLS and WebSocket. Each is driven by its script under {@code clients/}: Bob logs in,
 * Alice logs in and sends him a chat message with a unique body, Bob must receive it from her.
 *
 * <p>The scripts trust exactly the certificate each region generated ({@code --ca-file},
 * {@code --recipient-ca-file}), checked against the domain {@code localhost}; nothing disables
 * verification. WebSocket is {@code ws://} on loopback, without TLS, as the local federation
 * serves it.
 *
 * <p>The libraries are prerequisites that {@code ./tern test} installs; when one is missing the
 * test fails saying how to install it, rather than skipping.
 */
@Order(16)
@ExtendWith(TestFederation.class)
class ClientLibrariesTest {

  /** Debian's python3-slixmpp is for Debian's Python, whatever python3 is first on the PATH. */
  private static final String PYTHON = "/usr/bin/python3";

  /** Each script gives up by itself after this; the test waits a little longer. */
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

  enum Transport {
    STARTTLS("starttls", "STARTTLS"),
    DIRECT_TLS("direct-tls", "Direct TLS"),
    WEBSOCKET("websocket", "WebSocket");

    final String option;
    private final String name;

    Transport(String option, String name) {
      this.option = option;
      this.name = name;
    }

    /** Where a client of {@code region} connects over this transport. */
    String host(RegionConfig region) {
      return switch (this) {
        case STARTTLS -> region.xmpp().c2s().host();
        case DIRECT_TLS -> region.xmpp().directTls().host();
        case WEBSOCKET -> region.http().host();
      };
    }

    int port(RegionConfig region) {
      return switch (this) {
        case STARTTLS -> region.xmpp().c2s().port();
        case DIRECT_TLS -> region.xmpp().directTls().port();
        case WEBSOCKET -> region.http().port(); // the script's path is /ws
      };
    }

    @Override
    public String toString() {
      return name;
    }
  }

  enum Library {
    SLIXMPP("slixmpp", Set.of(Transport.STARTTLS, Transport.DIRECT_TLS)) {
      @Override
      List<String> command() {
        return List.of(PYTHON, script("clients/python/exchange.py"));
      }

      @Override
      void requireInstalled() {
        Run r = Run.of(List.of(PYTHON, "-c", "import slixmpp"), Duration.ofSeconds(30));
        if (r.exitCode() != 0) {
          fail("slixmpp is not installed for %s (%s): install Debian's package "
              + "(apt-get install python3-slixmpp), as ./tern test does", PYTHON, r.output());
        }
      }
    },

    XMPP_JS("xmpp.js", Set.of(Transport.values())) {
      @Override
      List<String> command() {
        return List.of("node", script("clients/js/exchange.mjs"));
      }

      @Override
      void requireInstalled() {
        Run r = Run.of(List.of("node", "--version"), Duration.ofSeconds(30));
        Matcher v = Pattern.compile("v(\\d+)\\.(\\d+)").matcher(r.output());
        if (r.exitCode() != 0 || !v.find()) {
          fail("Node.js is missing (%s): install it (apt-get install nodejs npm), then npm ci "
              + "in clients/js, as ./tern test does", r.output());
        }
        int major = Integer.parseInt(v.group(1));
        int minor = Integer.parseInt(v.group(2));
        if (major < 20 || major == 20 && minor < 10) {
          fail("xmpp.js 0.14 needs Node.js 20.10 or later; node is %s", r.output().strip());
        }
        if (!Files.isRegularFile(TestFederation.root()
            .resolve("clients/js/node_modules/@xmpp/client/package.json"))) {
          fail("xmpp.js is not installed: run npm ci in clients/js, as ./tern test does");
        }
      }
    };

    private final String name;
    final Set<Transport> transports;

    Library(String name, Set<Transport> transports) {
      this.name = name;
      this.transports = transports;
    }

    /** The script and the interpreter that runs it. */
    abstract List<String> command();

    /** Fails the test, saying how to install it, if the library or its runtime is missing. */
    abstract void requireInstalled();

    private static String script(String path) {
      return TestFederation.root().resolve(path).toString();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> everyTransportOfEachLibrary() {
    return Stream.of(Library.values()).flatMap(library -> Stream.of(Transport.values())
        .filter(library.transports::contains)
        .map(transport -> Arguments.of(library, transport)));
  }

  @ParameterizedTest(name = "{0} over {1}: Alice and Bob log in to region-a, Bob receives "
      + "Alice's message")
  @MethodSource("everyTransportOfEachLibrary")
  void bobReceivesAlicesMessageInOneRegion(Library library, Transport transport)
      throws Exception {
    String alice = XmppClients.registerNewUser("region-a");
    String bob = XmppClients.registerNewUser("region-a");

    exchange(library, transport, alice, "region-a", bob, "region-a");
  }

  @ParameterizedTest(name = "{0} over STARTTLS: Alice in region-a sends, Bob in region-b "
      + "receives")
  @EnumSource(Library.class)
  void bobInRegionBReceivesAlicesMessageFromRegionA(Library library) throws Exception {
    String alice = XmppClients.registerNewUser("region-a");
    String bob = XmppClients.registerNewUser("region-b");

    exchange(library, Transport.STARTTLS, alice, "region-a", bob, "region-b");
  }

  /** Runs the library's script: Alice connected to one region sends, Bob on another receives. */
  private static void exchange(Library library, Transport transport, String alice,
      String aliceRegion, String bob, String bobRegion) {
    library.requireInstalled();
    RegionConfig from = Regions.config(aliceRegion);
    RegionConfig to = Regions.config(bobRegion);
    List<String> command = new ArrayList<>(library.command());
    command.addAll(List.of(
        "--transport", transport.option,
        "--host", transport.host(from), "--port", String.valueOf(transport.port(from)),
        "--recipient-host", transport.host(to),
        "--recipient-port", String.valueOf(transport.port(to)),
        "--ca-file", XmppClients.certificateFile(aliceRegion).toString(),
        "--recipient-ca-file", XmppClients.certificateFile(bobRegion).toString(),
        "--timeout", String.valueOf(SCRIPT_TIMEOUT.toSeconds()),
        alice + "@" + XmppClients.DOMAIN, XmppClients.PASSWORD,
        bob + "@" + XmppClients.DOMAIN, XmppClients.PASSWORD));

    Run r = Run.of(command, SCRIPT_TIMEOUT.plusSeconds(30));

    System.out.println(library + " over " + transport + ": " + r.output().strip());
    assertThat(r.exitCode())
        .withFailMessage("%s over %s exited with %d; its output:%n%s", library, transport,
            r.exitCode(), r.output())
        .isZero();
    // stderr may hold warnings of the runtime; the result line is the script's own
    assertThat(r.output().lines())
        .as("%s over %s: its result line", library, transport)
        .anyMatch(line -> line.startsWith("OK ") && line.contains(alice + "@")
            && line.contains(bob + "@"));
  }

  /** A finished process: its exit code (-1 if it had to be killed) and output with stderr. */
  private record Run(int exitCode, String output) {

    static Run of(List<String> command, Duration timeout) {
      Path log = null;
      try {
        log = Files.createTempFile("tern-client-", ".log");
        Process p = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        return exited ? new Run(p.exitValue(), output)
            : new Run(-1, output + "\n(killed: still running after " + timeout + ")");
      } catch (IOException e) {
        return new Run(-1, command.get(0) + " could not run: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Run(-1, "interrupted");
      } finally {
        if (log != null) {
          try {
            Files.deleteIfExists(log);
          } catch (IOException e) {
            // a temporary file; the system's clean-up takes it
          }
        }
      }
    }
  }
}
