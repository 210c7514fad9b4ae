package dev.turbofarm.coordinator.dispatch.service;

import dev.turbofarm.common.messaging.JobMessage;
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
 * whose in-flight jobs plus recent usage ({@link TeamUsage}) per unit of weight are fewest
 * (water-filling), so teams are served in proportion to their weights instead of first come, first
 * served, from their first completions. See docs/adr/0004-fair-share-by-in-flight-slots.md,
 * docs/adr/0014-priority-end-to-end.md and docs/adr/0019-fair-share-with-recent-usage.md.
 */
@ApplicationScoped
public class FairShare {
  private final JobQueueRepository queue;
  private final Teams teams;
  private final WorkerRegistry workers;
  private final FarmConfig.Dispatcher config;
  private final TeamUsage usage;
  private volatile int window = -1;
  private volatile long windowReadAtNs;

  FairShare(JobQueueRepository queue, Teams teams, WorkerRegistry workers, FarmConfig config) {
    this.queue = queue;
    this.teams = teams;
    this.workers = workers;
    this.config = config.dispatcher();
    this.usage = new TeamUsage(this.config.fairShareHalfLife().toNanos(), System::nanoTime);
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
    Map<String, Double> load = new LinkedHashMap<>();
    for (String team : queue.teamsWithQueued()) {
      load.put(team, inFlight.getOrDefault(team, 0L) + usage.of(team));
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
          load.merge(e.getKey(), (double) got.size(), Double::sum);
        }
      }
    }
    return ids;
  }

  /**
   * Records bulk jobs that went out (after the broker acknowledged them): their teams' recent
   * usage. Interactive jobs are outside the window and not charged.
   */
  void charge(List<JobMessage> sent) {
    Map<String, Integer> byTeam = new LinkedHashMap<>();
    for (JobMessage m : sent) {
      if (m.priority() <= 0) {
        byTeam.merge(m.team(), 1, Integer::sum);
      }
    }
    byTeam.forEach(usage::charge);
  }

  /**
   * Water-filling: each of {@code slots} goes to the team with the least load (jobs in flight plus
   * recent usage) per unit of weight (ties to the first listed, which is alphabetical).
   */
  static Map<String, Integer> allot(
      Map<String, Double> load, long slots, ToIntFunction<String> weight) {
    Map<String, Double> now = new LinkedHashMap<>(load);
    Map<String, Integer> allot = new LinkedHashMap<>();
    for (long s = 0; s < slots; s++) {
      String best = null;
      double bestShare = Double.MAX_VALUE;
      for (Map.Entry<String, Double> e : now.entrySet()) {
        double share = (e.getValue() + 1) / (double) weight.applyAsInt(e.getKey());
        if (share < bestShare) {
          bestShare = share;
          best = e.getKey();
        }
      }
      now.merge(best, 1.0, Double::sum);
      allot.merge(best, 1, Integer::sum);
    }
    return allot;
  }
}
