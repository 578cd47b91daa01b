package dev.tern.regions.launcher;

import java.time.Duration;
import java.util.Optional;

/**
 * Polls a readiness probe until it passes, failing early and with the member's log when a member
 * of the component has exited.
 */
final class Readiness {

  /** A probe returns empty when ready, else what it is still waiting for. */
  @FunctionalInterface
  interface Probe {
    Optional<String> waitingFor() throws Exception;
  }

  private static final long POLL_MILLIS = 200;

  private Readiness() {}

  static void await(Layout layout, Component component, Duration timeout, Probe probe)
      throws LaunchException, InterruptedException {
    await(layout, component.name(), component.members(), timeout, probe);
  }

  /** As above, for {@code members} reported under {@code name}. */
  static void await(Layout layout, String name, java.util.List<Member> members, Duration timeout,
      Probe probe) throws LaunchException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String waiting = "first probe";
    while (true) {
      for (Member m : members) {
        if (Processes.running(layout, m.name()).isEmpty()) {
          throw new LaunchException(m.name() + " exited while starting; its log "
              + layout.log(m.name()) + " ends with:\n" + Processes.tail(layout, m.name(), 25));
        }
      }
      try {
        Optional<String> reason = probe.waitingFor();
        if (reason.isEmpty()) {
          return;
        }
        waiting = reason.get();
      } catch (Exception e) {
        waiting = e.toString();
      }
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        for (Member m : members) {
          logs.append("\n  ").append(layout.log(m.name()));
        }
        throw new LaunchException(name + " not ready after " + timeout.toSeconds()
            + " s, still waiting for: " + waiting + "\nlogs:" + logs);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
