package dev.tern.regions.launcher;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where a federation keeps its files: everything under one home directory (default: the
 * repository's git-ignored {@code var/}), so {@code down} then {@code up} keeps the data.
 *
 * @param root the repository (configs under {@code regions/}, scripts)
 * @param home data, logs, pid files and generated configs of this federation
 * @param dist downloaded programs (Cassandra's and s3proxy's jars, nats-server), kept by reset
 */
public record Layout(Path root, Path home, Path dist) {

  public Layout {
    root = requireNonNull(root, "root").toAbsolutePath().normalize();
    home = requireNonNull(home, "home").toAbsolutePath().normalize();
    dist = requireNonNull(dist, "dist").toAbsolutePath().normalize();
  }

  public Path data(String member) {
    return home.resolve("data").resolve(member);
  }

  public Path log(String member) {
    return home.resolve("log").resolve(member + ".log");
  }

  public Path pidFile(String member) {
    return home.resolve("run").resolve(member + ".pid");
  }

  public Path conf(String file) {
    return home.resolve("conf").resolve(file);
  }

  public Path regionConfig(String region) {
    return root.resolve("regions").resolve(region).resolve("tern.yaml");
  }
}
