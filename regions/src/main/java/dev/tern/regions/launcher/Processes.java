package dev.tern.regions.launcher;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts federation members as detached processes (own session, stdin from /dev/null, output
 * appended to the member's log) and stops them by pid file only.
 */
public final class Processes {

  private Processes() {}

  /** Starts {@code command} for {@code member} and records its pid file. */
  public static ProcessHandle spawn(Layout layout, String member, List<String> command,
      Map<String, String> env, Path workDir) throws IOException {
    Path log = layout.log(member);
    Files.createDirectories(log.getParent());
    Files.createDirectories(workDir);
    Files.writeString(log, "---- " + Instant.now() + " tern starts " + member + ": "
        + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    List<String> full = new ArrayList<>();
    // setsid: the member leaves the launcher's session, so a terminal's Ctrl-C or hang-up does
    // not reach it. Not a group leader here, setsid execs in place: the pid stays the member's.
    full.add("setsid");
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full)
        .directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process process = pb.start();
    PidFile.of(process.toHandle()).write(layout.pidFile(member));
    return process.toHandle();
  }

  /** The member's live process, if the launcher started one that still runs. */
  public static Optional<ProcessHandle> running(Layout layout, String member) {
    return PidFile.read(layout.pidFile(member)).flatMap(PidFile::process);
  }

  /**
   * Stops the member: SIGTERM, then SIGKILL after {@code grace}. Removes its pid file.
   *
   * @return true if a process was running
   */
  public static boolean stop(Layout layout, String member, Duration grace) throws IOException {
    Optional<ProcessHandle> process = running(layout, member);
    if (process.isPresent()) {
      ProcessHandle p = process.get();
      p.destroy();
      try {
        p.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
        p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping " + member, e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException("stopping " + member + " failed", e);
      }
    }
    Files.deleteIfExists(layout.pidFile(member));
    return process.isPresent();
  }

  /** The last {@code lines} lines of the member's log, for failure reports. */
  public static String tail(Layout layout, String member, int lines) {
    Path log = layout.log(member);
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - 16 * 1024);
      file.seek(start);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.readFully(bytes);
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n");
      return String.join("\n",
          java.util.Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /** Resident and peak resident memory of a process in KiB, from /proc (0 if unknown). */
  public static long[] memoryKib(long pid) {
    long rss = 0;
    long hwm = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("\\D", ""));
        } else if (line.startsWith("VmHWM:")) {
          hwm = Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone or unreadable
    }
    return new long[] {rss, hwm};
  }
}
