package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends jobs through the whole path (REST, PostgreSQL, dispatcher, Kafka, worker, result recorder)
 * one after another until their end-to-end time stops improving, before the farm says it is ready.
 * Each worker has already rendered its own warm-up images, but on a small machine the first user
 * jobs would otherwise share the CPU with the coordinator's and the broker's own cold start (class
 * loading, JIT compilation) and render slower than later ones. The jobs are recorded as team
 * {@value Farm#WARM_UP_TEAM}.
 */
final class PathWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(PathWarmUp.class);

  /** Fewest warm-up jobs per worker, one after another. */
  static final int MIN_PER_WORKER = 3;

  /** Most warm-up jobs in all, whether or not the path has settled. */
  static final int MAX_JOBS = 40;

  /** Between polls of a warm-up job, ms: short, the farm has nothing else to do yet. */
  private static final Duration POLL = Duration.ofMillis(10);

  private PathWarmUp() {}

  /** Runs the warm-up against {@code workers} warm workers; each job may take {@code timeout}. */
  static void run(FarmClient client, int workers, Duration timeout) {
    if (workers == 0) {
      // Nothing renders: a farm started for intake benchmarks only.
      return;
    }
    long t0 = System.nanoTime();
    long backlog = queued(client);
    int maxJobs = backlog > 0 ? workers : MAX_JOBS;
    List<Long> times = new ArrayList<>();
    Map<String, Integer> perWorker = new HashMap<>();
    // Until every worker has taken its share and the end-to-end times have stopped improving.
    while (times.size() < maxJobs
        && !(backlog == 0
            && perWorker.size() >= workers
            && perWorker.values().stream().allMatch(n -> n >= MIN_PER_WORKER)
            && settled(times, workers))) {
      long t = System.nanoTime();
      String id =
          client.submit(
              FarmClient.parse(
                  "{\"prompt\":\"farm warm-up\",\"profile\":\"draft\",\"team\":\""
                      + Farm.WARM_UP_TEAM
                      + "\",\"seed\":"
                      + times.size()
                      + "}"));
      JsonNode done = client.awaitDone(id, timeout, POLL);
      times.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
      if (!"SUCCEEDED".equals(done.path("state").asText())) {
        LOG.warn(
            "farm warm-up job {} ended {} ({}); skipping the rest of the path warm-up",
            id,
            done.path("state").asText(),
            done.path("reason").asText());
        break;
      }
      perWorker.merge(done.path("images").path(0).path("workerId").asText("?"), 1, Integer::sum);
    }
    if (backlog > 0) {
      LOG.info(
          "farm warm-up: {} jobs were queued at start; they warm the path, the warm-up only proves"
              + " it works",
          backlog);
    }
    LOG.info(
        "farm warm-up: {} jobs through the whole path in {} ms (per worker {}), end-to-end ms in order {} (team {})",
        times.size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
        perWorker,
        times,
        Farm.WARM_UP_TEAM);
  }

  /** Jobs waiting in the queue now; 0 when the coordinator cannot tell. */
  private static long queued(FarmClient client) {
    FarmClient.Answer a = client.get("/api/v1/admin/dispatch");
    return a.status() == 200 && a.body() != null ? a.body().path("queued").asLong(0) : 0;
  }

  /**
   * Settled: the mean of the last {@code window} jobs is no more than 10 % above the mean of the
   * {@code window} before them, i.e. the path has stopped getting faster.
   */
  static boolean settled(List<Long> times, int window) {
    int n = times.size();
    if (n < 2 * window) {
      return false;
    }
    double last =
        times.subList(n - window, n).stream().mapToLong(Long::longValue).average().orElseThrow();
    double before =
        times.subList(n - 2 * window, n - window).stream()
            .mapToLong(Long::longValue)
            .average()
            .orElseThrow();
    return last >= before * 0.9 && last <= before * 1.1;
  }
}
