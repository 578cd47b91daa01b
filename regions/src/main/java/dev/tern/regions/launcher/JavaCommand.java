package dev.tern.regions.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for the JVM members: the launcher's own JDK (17; Cassandra 5.0 needs 11 or 17). */
final class JavaCommand {

  private JavaCommand() {}

  static List<String> java(String... options) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(options));
    return cmd;
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
