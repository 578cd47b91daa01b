package dev.tern.regions.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

  @Test
  void aPidFileRoundTripsAndFindsTheProcessItDescribes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("me.pid");
    PidFile.of(ProcessHandle.current()).write(file);

    PidFile read = PidFile.read(file).orElseThrow();

    assertThat(read.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(read.process()).contains(ProcessHandle.current());
  }

  @Test
  void aReusedPidWithAnotherStartTimeIsNotTakenForTheProcessTernStarted(@TempDir Path dir)
      throws Exception {
    // The pid now belongs to a process that started long after the one recorded.
    PidFile stale = new PidFile(ProcessHandle.current().pid(), Instant.now().minus(Duration.ofDays(3)));
    stale.write(dir.resolve("old.pid"));

    assertThat(PidFile.read(dir.resolve("old.pid")).orElseThrow().process()).isEmpty();
  }

  @Test
  void aMissingOrGarbledPidFileMeansNotRunning(@TempDir Path dir) throws Exception {
    assertThat(PidFile.read(dir.resolve("none.pid"))).isEmpty();
    Files.writeString(dir.resolve("bad.pid"), "not a pid\n");
    assertThat(PidFile.read(dir.resolve("bad.pid"))).isEmpty();
  }

  @Test
  void stoppingAMemberThatIsNotRunningTouchesNothing(@TempDir Path dir) throws Exception {
    Layout layout = new Layout(dir, dir.resolve("home"), dir.resolve("dist"));
    new PidFile(ProcessHandle.current().pid(), Instant.now().minus(Duration.ofDays(3)))
        .write(layout.pidFile("ghost"));

    assertThat(Processes.stop(layout, "ghost", Duration.ofSeconds(1))).isFalse();
    assertThat(ProcessHandle.current().isAlive()).isTrue();
    assertThat(layout.pidFile("ghost")).doesNotExist();
  }

  @Test
  void aSpawnedMemberRunsDetachedAndStopsByItsPidFile(@TempDir Path dir) throws Exception {
    Layout layout = new Layout(dir, dir.resolve("home"), dir.resolve("dist"));

    ProcessHandle sleeper = Processes.spawn(layout, "sleeper", java.util.List.of("sleep", "60"),
        java.util.Map.of(), layout.data("sleeper"));

    assertThat(Processes.running(layout, "sleeper")).contains(sleeper);
    assertThat(Processes.stop(layout, "sleeper", Duration.ofSeconds(5))).isTrue();
    assertThat(sleeper.isAlive()).isFalse();
    assertThat(Files.readString(layout.log("sleeper"))).contains("tern starts sleeper");
  }
}
