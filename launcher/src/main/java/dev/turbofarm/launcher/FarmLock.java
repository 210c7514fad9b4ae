package dev.turbofarm.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One farm per data directory, and no leftovers from a farm that was killed.
 *
 * <p>{@code farm.lock} is held while a farm runs: a second farm on the same data would corrupt the
 * broker's and database's files, so it is refused with the first one's pid. {@code farm.pids} lists
 * the children started; a launcher killed with SIGKILL cannot stop them (the broker and database
 * notice on their own, the coordinator and workers do not), so the next start stops those that are
 * still alive and still run the command we started.
 */
final class FarmLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FarmLock.class);

  /**
   * A leftover child gets this long after SIGTERM before SIGKILL, s: a worker finishes its batch.
   */
  private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(30);

  private final Path pidFile;
  private final FileChannel channel;
  private final FileLock lock;

  private FarmLock(Path pidFile, FileChannel channel, FileLock lock) {
    this.pidFile = pidFile;
    this.channel = channel;
    this.lock = lock;
  }

  static FarmLock acquire(Path dataDir) {
    Path lockFile = dataDir.resolve("farm.lock");
    Path pidFile = dataDir.resolve("farm.pids");
    try {
      Files.createDirectories(dataDir);
      FileChannel ch =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        // Held by a farm in this very JVM (a test, a benchmark): refused like another process's.
        lock = null;
      }
      if (lock == null) {
        String holder = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
        ch.close();
        throw new FarmException(
            "another farm is running on "
                + dataDir
                + " (launcher pid "
                + (holder.isEmpty() ? "unknown" : holder)
                + "); stop it with Ctrl-C or kill "
                + (holder.isEmpty() ? "<pid>" : holder)
                + ", or use another --data-dir");
      }
      ch.truncate(0);
      ch.write(
          java.nio.ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
      FarmLock farmLock = new FarmLock(pidFile, ch, lock);
      farmLock.stopLeftovers();
      Files.deleteIfExists(pidFile);
      return farmLock;
    } catch (IOException e) {
      throw new FarmException(
          "cannot lock the data directory " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** Records a started child: {@code pid name}. */
  synchronized void recordChild(long pid, String name) {
    try {
      Files.writeString(
          pidFile,
          pid + " " + name + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.warn("cannot record pid {} of {} in {}: {}", pid, name, pidFile, e.getMessage());
    }
  }

  private void stopLeftovers() throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    for (String line : lines) {
      String[] parts = line.trim().split(" ", 2);
      if (parts.length < 2) {
        continue;
      }
      Optional<ProcessHandle> p =
          parsePid(parts[0])
              .flatMap(ProcessHandle::of)
              .filter(ProcessHandle::isAlive)
              // pids are reused: only a java process still running one of our programs is ours
              .filter(h -> h.info().commandLine().map(FarmLock::isFarmCommand).orElse(false));
      if (p.isEmpty()) {
        continue;
      }
      ProcessHandle h = p.get();
      LOG.warn(
          "{} (pid {}) from an earlier farm that was killed is still running; stopping it",
          parts[1],
          h.pid());
      h.destroy();
      try {
        h.onExit().get(LEFTOVER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn(
            "{} (pid {}) ignored SIGTERM for {} s; killing it",
            parts[1],
            h.pid(),
            LEFTOVER_GRACE.toSeconds());
        h.destroyForcibly();
      }
    }
  }

  static boolean isFarmCommand(String commandLine) {
    return commandLine.contains("quarkus-run.jar")
        || commandLine.contains("turbofarm-worker")
        || commandLine.contains("dev.turbofarm.embedded.");
  }

  private static Optional<Long> parsePid(String s) {
    try {
      return Optional.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Releases the lock; the pid list goes too, as every child has been stopped. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(pidFile);
      lock.release();
      channel.close();
    } catch (IOException e) {
      LOG.warn("cannot release the farm lock: {}", e.getMessage());
    }
  }
}
