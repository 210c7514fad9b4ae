package dev.turbofarm.coordinator.dispatch.service;

import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.persistence.JobQueueRepository;
import dev.turbofarm.coordinator.team.service.Teams;
import dev.turbofarm.coordinator.worker.service.WorkerRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToIntFunction;

/**
 * Chooses which QUEUED rows the dispatcher sends next, and locks them ({@code FOR UPDATE SKIP
 * LOCKED}) in the caller's transaction. Interactive jobs (priority above 0) go first, whatever the
 * load. Bulk jobs go out only while fewer jobs are DISPATCHED and unfinished than the window, which
 * follows what the ready workers can take ({@link #window()}), and each free slot goes to the team
 * whose in-flight jobs per unit of weight are fewest (water-filling), so teams are served in
 * proportion to their weights instead of first come, first served. See
 * docs/adr/0004-fair-share-by-in-flight-slots.md and docs/adr/0014-priority-end-to-end.md.
 */
@ApplicationScoped
public class FairShare {
  private final JobQueueRepository queue;
  private final Teams teams;
  private final WorkerRegistry workers;
  private final FarmConfig.Dispatcher config;
  private volatile int window = -1;
  private volatile long windowReadAtNs;

  FairShare(JobQueueRepository queue, Teams teams, WorkerRegistry workers, FarmConfig config) {
    this.queue = queue;
    this.teams = teams;
    this.workers = workers;
    this.config = config.dispatcher();
  }

  /**
   * The in-flight window now, jobs: {@code in-flight-per-batch-image} times the sum of the ready
   * workers' max batches, within {@code min-in-flight} and {@code max-in-flight}; read from the
   * worker registry at most every {@code window-refresh}.
   */
  int window() {
    long now = System.nanoTime();
    if (window < 0 || now - windowReadAtNs > config.windowRefresh().toNanos()) {
      window = window(workers.capacity().batchImages(), config);
      windowReadAtNs = now;
    }
    return window;
  }

  static int window(long batchImages, FarmConfig.Dispatcher config) {
    long w = Math.round(config.inFlightPerBatchImage() * batchImages);
    return (int) Math.max(config.minInFlight(), Math.min(config.maxInFlight(), w));
  }

  /** Locks and returns the ids of at most {@code limit} rows to send now. */
  List<UUID> claim(int limit) {
    List<UUID> ids = new ArrayList<>(queue.lockInteractive(limit));
    Map<String, Long> inFlight = queue.inFlightByTeam();
    long total = inFlight.values().stream().mapToLong(Long::longValue).sum();
    long free = Math.min(limit - ids.size(), window() - total - ids.size());
    if (free <= 0) {
      return ids;
    }
    Map<String, Long> load = new LinkedHashMap<>();
    for (String team : queue.teamsWithQueued()) {
      load.put(team, inFlight.getOrDefault(team, 0L));
    }
    // Rounds: a team that has fewer rows than its allotment drops out, its slots go to the rest.
    while (free > 0 && !load.isEmpty()) {
      for (Map.Entry<String, Integer> e : allot(load, free, teams::weight).entrySet()) {
        List<UUID> got = queue.lockTeamBulk(e.getKey(), e.getValue());
        ids.addAll(got);
        free -= got.size();
        if (got.size() < e.getValue()) {
          load.remove(e.getKey());
        } else {
          load.merge(e.getKey(), (long) got.size(), Long::sum);
        }
      }
    }
    return ids;
  }

  /**
   * Water-filling: each of {@code slots} goes to the team with the fewest jobs in flight per unit
   * of weight (ties to the first listed, which is alphabetical).
   */
  static Map<String, Integer> allot(
      Map<String, Long> load, long slots, ToIntFunction<String> weight) {
    Map<String, Long> now = new LinkedHashMap<>(load);
    Map<String, Integer> allot = new LinkedHashMap<>();
    for (long s = 0; s < slots; s++) {
      String best = null;
      double bestShare = Double.MAX_VALUE;
      for (Map.Entry<String, Long> e : now.entrySet()) {
        double share = (e.getValue() + 1) / (double) weight.applyAsInt(e.getKey());
        if (share < bestShare) {
          bestShare = share;
          best = e.getKey();
        }
      }
      now.merge(best, 1L, Long::sum);
      allot.merge(best, 1, Integer::sum);
    }
    return allot;
  }
}
