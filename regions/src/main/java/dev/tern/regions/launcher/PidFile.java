package dev.tern.regions.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the launcher knows of a process it started: pid and start time. A pid alone could be
 * reused by another program after a crash; with the start time, {@link #process()} finds only
 * the process this launcher started, so nothing it did not start is ever signalled.
 */
public record PidFile(long pid, Instant started) {

  /** /proc start times have clock-tick precision; allow for it. */
  private static final Duration TOLERANCE = Duration.ofSeconds(2);

  public static PidFile of(ProcessHandle process) {
    Instant started = process.info().startInstant()
        .orElseThrow(() -> new IllegalStateException("no start time for pid " + process.pid()));
    return new PidFile(process.pid(), started);
  }

  public static Optional<PidFile> read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return Optional.of(new PidFile(Long.parseLong(lines.get(0).strip()),
          Instant.ofEpochMilli(Long.parseLong(lines.get(1).strip()))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, pid + "\n" + started.toEpochMilli() + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The live process this file describes, if it still runs. */
  public Optional<ProcessHandle> process() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().startInstant()
            .map(s -> Duration.between(s, started).abs().compareTo(TOLERANCE) <= 0)
            .orElse(false));
  }
}
