package dev.turbofarm.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's CPU went, from the execution samples of a Java Flight Recorder recording: per
 * thread, and per library (a sample counts for every library on its stack, so the shares of
 * libraries overlap), within a time window. Used by {@code farm bench scale --profile-coordinator}
 * to put a figure on, for instance, what JTA transactions cost on the hot path.
 */
final class CpuProfile {
  /** Libraries by package prefix, in the order they are listed. */
  private static final Map<String, List<String>> AREAS = new LinkedHashMap<>();

  static {
    AREAS.put(
        "JTA transactions (Narayana, @Transactional)",
        List.of("com.arjuna.", "io.narayana.", "io.quarkus.narayana.", "org.jboss.tm."));
    AREAS.put("Agroal connection pool", List.of("io.agroal."));
    AREAS.put("PostgreSQL JDBC driver", List.of("org.postgresql."));
    AREAS.put("Kafka clients", List.of("org.apache.kafka."));
    AREAS.put("JSON (Jackson)", List.of("com.fasterxml.jackson."));
    AREAS.put(
        "HTTP and REST (Vert.x, Netty, RESTEasy)",
        List.of("io.vertx.", "io.netty.", "org.jboss.resteasy.", "io.quarkus.resteasy."));
    AREAS.put("Micrometer", List.of("io.micrometer."));
    AREAS.put("Logging", List.of("org.jboss.logging.", "org.jboss.logmanager."));
  }

  private CpuProfile() {}

  /** Markdown lines: samples per thread group and per library within [from, to]. */
  static List<String> areas(Path recording, Instant from, Instant to) throws IOException {
    if (!Files.exists(recording)) {
      return List.of("(no recording at " + recording + ")");
    }
    Map<String, Integer> byArea = new LinkedHashMap<>();
    Map<String, Integer> selfByArea = new LinkedHashMap<>();
    Map<String, Integer> byThread = new LinkedHashMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")
          || e.getStartTime().isBefore(from)
          || e.getStartTime().isAfter(to)
          || e.getStackTrace() == null) {
        continue;
      }
      total++;
      String thread = e.getThread("sampledThread").getJavaName();
      byThread.merge(threadGroup(thread == null ? "?" : thread), 1, Integer::sum);
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      selfByArea.merge(self(frames), 1, Integer::sum);
      for (Map.Entry<String, List<String>> a : AREAS.entrySet()) {
        if (frames.stream()
            .anyMatch(
                f ->
                    a.getValue().stream()
                        .anyMatch(p -> f.getMethod().getType().getName().startsWith(p)))) {
          byArea.merge(a.getKey(), 1, Integer::sum);
        }
      }
    }
    List<String> out = new ArrayList<>();
    out.add("| coordinator CPU samples (" + total + " in the measured run) | share |");
    out.add("|---|---|");
    int n = Math.max(1, total);
    byThread.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(
            t ->
                out.add(
                    String.format(
                        Locale.ROOT,
                        "| thread: %s | %.1f%% |",
                        t.getKey(),
                        100.0 * t.getValue() / n)));
    for (String area : AREAS.keySet()) {
      out.add(
          String.format(
              Locale.ROOT,
              "| in: %s (its own code; on the stack at all: %.1f%%) | %.1f%% |",
              area,
              100.0 * byArea.getOrDefault(area, 0) / n,
              100.0 * selfByArea.getOrDefault(area, 0) / n));
    }
    out.add(
        String.format(
            Locale.ROOT,
            "| in: TurboFarm's own code | %.1f%% |",
            100.0 * selfByArea.getOrDefault("TurboFarm", 0) / n));
    out.add(
        String.format(
            Locale.ROOT,
            "| in: anything else (JDK, Quarkus, CDI...) | %.1f%% |",
            100.0 * selfByArea.getOrDefault("other", 0) / n));
    return out;
  }

  /**
   * The library a sample's time belongs to: the innermost frame that is not the JDK's (a socket
   * read called by the JDBC driver is the driver's).
   */
  private static String self(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
        continue;
      }
      for (Map.Entry<String, List<String>> a : AREAS.entrySet()) {
        if (a.getValue().stream().anyMatch(type::startsWith)) {
          return a.getKey();
        }
      }
      return type.startsWith("dev.turbofarm.") ? "TurboFarm" : "other";
    }
    return "other";
  }

  /** Threads of one kind together: the pools' numbered threads are one line. */
  static String threadGroup(String name) {
    return name.replaceAll("\\|.*$", "")
        .trim()
        .replaceAll("[-_ #]?\\d+$", "")
        .replaceAll("-\\d+-", "-N-");
  }
}
