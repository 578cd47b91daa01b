package dev.tern.regions.launcher;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** One kind of real component of the federation (Cassandra, Redis Cluster…), with its processes. */
public interface Component {

  /** Short name shown by {@code ./tern status}. */
  String name();

  /** Every process of this component. */
  List<Member> members();

  /** Writes the members' configs and starts them; does not wait. */
  void start(Layout layout) throws Exception;

  /** Returns once the component really serves (never a fixed sleep); throws with the reason. */
  void awaitReady(Layout layout, Duration timeout)
      throws LaunchException, InterruptedException, IOException;

  /**
   * Starts one member again with the config {@link #start} wrote (after it was stopped or
   * killed, e.g. by a test of failover); does not wait.
   */
  default void startMember(Layout layout, String member) throws Exception {
    throw new UnsupportedOperationException(name() + " members are not restarted one by one");
  }

  /** How long a member may take to stop after SIGTERM before it is killed. */
  default Duration stopGrace() {
    return Duration.ofSeconds(10);
  }
}
