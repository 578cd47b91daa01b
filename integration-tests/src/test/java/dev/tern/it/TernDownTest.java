package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tern.regions.launcher.Endpoint;
import dev.tern.regions.launcher.Federation;
import dev.tern.regions.launcher.Member;
import dev.tern.regions.launcher.Processes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs last: it stops the federation the tests started. */
@Order(Integer.MAX_VALUE)
@ExtendWith(TestFederation.class)
class TernDownTest {

  @Test
  void ternDownLeavesNoProcessOfItsOwnRunningAndFreesEveryPort() throws Exception {
    TestFederation.Handle handle = TestFederation.get();
    assumeTrue(handle.startedByTests(),
        "the developer's own federation is in use; the tests do not stop it");
    Federation federation = handle.federation();
    String home = federation.layout().home().toString();
    List<ProcessHandle> started = new ArrayList<>();
    for (Member m : federation.members()) {
      ProcessHandle p = Processes.running(federation.layout(), m.name()).orElseThrow(
          () -> new AssertionError(m.name() + " is not running before down"));
      started.add(p);
      p.descendants().forEach(started::add);
    }

    federation.down(System.out);

    assertThat(started).as("processes tern started").noneMatch(ProcessHandle::isAlive);
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      assertThat(all.filter(p -> p.pid() != ProcessHandle.current().pid())
              .filter(p -> p.info().commandLine().map(c -> c.contains(home)).orElse(false))
              .map(p -> p.pid() + " " + p.info().commandLine().orElse("")))
          .as("processes still using %s", home)
          .isEmpty();
    }
    List<Endpoint> busy = federation.members().stream()
        .flatMap(m -> m.endpoints().stream()).filter(e -> !e.isFree()).toList();
    assertThat(busy).as("ports still bound").isEmpty();
    assertThat(federation.anyRunning()).isFalse();
  }
}
