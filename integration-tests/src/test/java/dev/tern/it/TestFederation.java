package dev.tern.it;

import dev.tern.regions.launcher.Federation;
import dev.tern.regions.launcher.Layout;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives every test class the one federation of this test run, started once, in parallel, on
 * first use, and stopped when the run ends.
 *
 * <p>If the developer's own federation ({@code ./tern up}, home {@code var/}) is already up,
 * the tests use it (restarting only its Tern processes, so they run the code under test) and
 * leave it running; otherwise they start their own under {@code var/test}, from a clean slate.
 */
public final class TestFederation implements BeforeAllCallback {

  /** The federation in use, and whether this run started it. */
  public record Handle(Federation federation, boolean startedByTests) {}

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(TestFederation.class);

  private static volatile Handle current;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(NS).getOrComputeIfAbsent("federation", k -> start(),
        Running.class);
    if (current == null) {
      throw new IllegalStateException("the federation of this run failed to start earlier");
    }
  }

  /** The federation of this run; only valid inside a class extended with this extension. */
  public static Handle get() {
    Handle h = current;
    if (h == null) {
      throw new IllegalStateException("annotate the test class with @ExtendWith(TestFederation.class)");
    }
    return h;
  }

  /** A region's own config file, as its Tern processes read it. */
  public static dev.tern.regions.RegionConfig regionConfig(String region) {
    return dev.tern.regions.RegionConfig.load(root().resolve("regions").resolve(region)
        .resolve("tern.yaml"), java.util.Map.of());
  }

  public static Path root() {
    return Path.of(System.getProperty("tern.root", "..")).toAbsolutePath().normalize();
  }

  private static Running start() {
    Path root = root();
    String classpath = System.getProperty("java.class.path");
    Path dist = root.resolve("var/dist");
    Federation developers = new Federation(new Layout(root, root.resolve("var"), dist), classpath);
    if (developers.isUp()) {
      System.out.println("tests use the federation already up under " + root.resolve("var")
          + "; its Tern processes restart on the code under test");
      try {
        developers.restartTern(new PrintStream(System.out, true));
      } catch (Exception e) {
        throw new IllegalStateException("restarting Tern on the running federation failed: "
            + e.getMessage(), e);
      }
      current = new Handle(developers, false);
      return new Running(current);
    }
    Federation own = new Federation(new Layout(root, root.resolve("var/test"), dist), classpath);
    try {
      own.reset(System.out);
      own.up(new PrintStream(System.out, true));
    } catch (Exception e) {
      throw new IllegalStateException("the test federation did not start: " + e.getMessage(), e);
    }
    current = new Handle(own, true);
    return new Running(current);
  }

  /** Stops the federation at the end of the run if the tests started it. */
  private record Running(Handle handle) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      if (handle.startedByTests() && handle.federation().anyRunning()) {
        handle.federation().down(System.out);
      }
    }
  }
}
