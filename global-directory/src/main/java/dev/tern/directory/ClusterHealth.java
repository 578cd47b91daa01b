package dev.tern.directory;

import static java.util.Objects.requireNonNull;

/**
 * The Redis Cluster's state as one client sees it.
 *
 * @param state {@code cluster_state} of CLUSTER INFO: {@code ok} when every hash slot is served
 * @param mastersUp masters not flagged {@code fail} or {@code fail?}
 * @param masters masters known
 * @param replicasUp replicas not flagged failing
 * @param replicas replicas known
 */
public record ClusterHealth(String state, int mastersUp, int masters, int replicasUp,
    int replicas) {

  public ClusterHealth {
    requireNonNull(state, "state");
  }

  public boolean ok() {
    return state.equals("ok");
  }

  /** From {@code cluster_state} and the text of CLUSTER NODES (one node per line). */
  static ClusterHealth parse(String state, String clusterNodes) {
    int mastersUp = 0;
    int masters = 0;
    int replicasUp = 0;
    int replicas = 0;
    for (String line : clusterNodes.split("\n")) {
      String[] f = line.strip().split(" ");
      if (f.length < 8) {
        continue;
      }
      // <id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot>…
      String flags = "," + f[2] + ",";
      boolean up = !flags.contains(",fail,") && !flags.contains(",fail?,")
          && !flags.contains(",noaddr,") && f[7].equals("connected");
      if (flags.contains(",master,")) {
        masters++;
        mastersUp += up ? 1 : 0;
      } else if (flags.contains(",slave,") || flags.contains(",replica,")) {
        replicas++;
        replicasUp += up ? 1 : 0;
      }
    }
    return new ClusterHealth(state, mastersUp, masters, replicasUp, replicas);
  }
}
