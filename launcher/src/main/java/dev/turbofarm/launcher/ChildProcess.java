package dev.turbofarm.launcher;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process of the farm (broker, database, coordinator, a worker) with its output appended to its
 * own log file. Readiness is either a line the process prints or an HTTP endpoint answering 200;
 * either way a process that dies first is reported with the tail of its log.
 */
final class ChildProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  /**
   * Between readiness probes, ms: short enough not to add to start-up, long enough not to load 2
   * cores.
   */
  private static final long POLL_MILLIS = 200;

  /** Lines of a failed process's log quoted in the error, enough to show an exception's head. */
  private static final int TAIL_LINES = 25;

  /**
   * {@code setsid} puts the child in its own session, so Ctrl-C at the terminal reaches only the
   * launcher, which then stops the children in order (workers drain while Kafka is still up). A
   * child of the JVM is never a process-group leader, so setsid execs without forking and the pid
   * we hold stays the process's pid.
   */
  private static final Optional<Path> SETSID =
      List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
          .filter(Files::isExecutable)
          .findFirst();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final long logOffset;

  private ChildProcess(String name, Process process, Path log, long logOffset) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.logOffset = logOffset;
  }

  static ChildProcess start(
      String name, List<String> command, Map<String, String> env, Path workDir, Path log) {
    List<String> cmd = new ArrayList<>();
    SETSID.ifPresent(p -> cmd.add(p.toString()));
    cmd.addAll(command);
    try {
      Files.createDirectories(log.getParent());
      long offset = Files.exists(log) ? Files.size(log) : 0;
      String header =
          "\n=== "
              + Instant.now()
              + " farm starts "
              + name
              + ": "
              + String.join(" ", command)
              + "\n";
      Files.writeString(
          log,
          header,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder pb =
          new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      pb.environment().putAll(env);
      Process process = pb.start();
      LOG.info("started {} (pid {}), log {}", name, process.pid(), log);
      return new ChildProcess(
          name, process, log, offset + header.getBytes(StandardCharsets.UTF_8).length);
    } catch (IOException e) {
      throw new FarmException(
          "could not start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File("/dev/null");
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Process process() {
    return process;
  }

  /** Waits for a line of this run's output that starts with {@code prefix} and returns it. */
  String awaitLine(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> line = newLines().stream().filter(l -> l.startsWith(prefix)).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      checkAlive("before it printed \"" + prefix + "\"");
      if (System.nanoTime() > deadline) {
        throw notReady("did not print \"" + prefix + "\" within " + timeout.toSeconds() + " s");
      }
      sleep(POLL_MILLIS);
    }
  }

  /** Waits until {@code GET url} answers 200. */
  void awaitHttpOk(URI url, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int lastStatus = -1;
    while (true) {
      checkAlive("before " + url + " answered 200");
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        lastStatus = r.statusCode();
        if (lastStatus == 200) {
          return;
        }
      } catch (IOException e) {
        lastStatus = -1; // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FarmException("interrupted while waiting for " + name);
      }
      if (System.nanoTime() > deadline) {
        throw notReady(
            url
                + " did not answer 200 within "
                + timeout.toSeconds()
                + " s (last answer: "
                + (lastStatus < 0 ? "no connection" : "HTTP " + lastStatus)
                + ")");
      }
      sleep(POLL_MILLIS * 2);
    }
  }

  private void checkAlive(String when) {
    if (!process.isAlive()) {
      throw new FarmException(
          name
              + " exited with code "
              + process.exitValue()
              + " "
              + when
              + "; see "
              + log
              + ". Last lines:\n"
              + tail());
    }
  }

  private FarmException notReady(String what) {
    return new FarmException(
        name
            + " (pid "
            + process.pid()
            + ") "
            + what
            + "; see "
            + log
            + ". Last lines:\n"
            + tail());
  }

  /**
   * The last lines this run wrote, indented, for error messages; when they are only a stack trace,
   * the first error line of the run (usually the cause, e.g. a failed migration) comes first.
   */
  String tail() {
    List<String> lines = newLines();
    StringBuilder sb = new StringBuilder();
    Optional<String> firstError = lines.stream().filter(ChildProcess::looksLikeError).findFirst();
    List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    if (firstError.isPresent() && !last.contains(firstError.get())) {
      sb.append("    first error: ").append(firstError.get()).append('\n').append("    ...\n");
    }
    for (String l : last) {
      sb.append("    | ").append(l).append('\n');
    }
    return sb.toString();
  }

  private static boolean looksLikeError(String line) {
    return line.contains(" ERROR ")
        || line.contains("ERROR [")
        || line.startsWith("Exception in thread")
        || line.contains("FAILED ");
  }

  private List<String> newLines() {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      if (len <= logOffset) {
        return List.of();
      }
      f.seek(logOffset);
      byte[] bytes = new byte[(int) Math.min(len - logOffset, 8L * 1024 * 1024)];
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}. Returns the exit code. */
  int stop(Duration grace) {
    if (!process.isAlive()) {
      return process.exitValue();
    }
    process.destroy();
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.info("{} stopped (exit {})", name, process.exitValue());
        return process.exitValue();
      }
      LOG.warn(
          "{} (pid {}) did not stop within {} s of SIGTERM; killing it. See {}",
          name,
          process.pid(),
          grace.toSeconds(),
          log);
      process.destroyForcibly();
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return -1;
    }
  }

  /** SIGKILL, no grace: a crash, as the chaos scenarios make a worker die mid-batch. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FarmException("interrupted");
    }
  }
}
