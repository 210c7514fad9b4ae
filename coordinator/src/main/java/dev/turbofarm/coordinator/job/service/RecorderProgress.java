package dev.turbofarm.coordinator.job.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the coordinator's own recorders (results, heartbeats) are doing, so that a lease never runs
 * out because the coordinator, not the worker, fell silent: while one of them is stuck in a poll
 * (PostgreSQL stalled on I/O, a lock wait), results and heartbeats that workers did send are not
 * being read, and {@link LeaseReaper} waits. Seen under load: an 11 s and a 19 s stall of the
 * results transaction re-queued 1,659 jobs whose results were waiting in Kafka.
 */
@ApplicationScoped
public class RecorderProgress {
  /** Per recorder: when its poll's handling began (System.nanoTime()), or 0 when it is idle. */
  private final Map<String, Long> busySince = new ConcurrentHashMap<>();

  /** The last stall seen and when it ended, System.nanoTime(): the reaper waits as long again. */
  private volatile long lastStallNs;

  private volatile long lastStallEndedAt;

  /** Handles one poll of {@code recorder}, noting how long it takes. */
  public void handling(String recorder, Duration stallAfter, Runnable work) {
    handling(
        recorder,
        stallAfter,
        () -> {
          work.run();
          return null;
        });
  }

  /** Handles one poll of {@code recorder}, noting how long it takes; returns what it returns. */
  public <T> T handling(String recorder, Duration stallAfter, java.util.function.Supplier<T> work) {
    long start = System.nanoTime();
    busySince.put(recorder, start);
    try {
      return work.get();
    } finally {
      busySince.put(recorder, 0L);
      long took = System.nanoTime() - start;
      if (took > stallAfter.toNanos()) {
        lastStallNs = took;
        lastStallEndedAt = System.nanoTime();
      }
    }
  }

  /**
   * Why leases must not expire now: a recorder has been busy with one poll for longer than {@code
   * stallAfter}, or one was, and what it had left unread is still being caught up (as long again as
   * the stall lasted). Empty when the recorders are current.
   */
  public Optional<String> behind(Duration stallAfter) {
    long now = System.nanoTime();
    for (Map.Entry<String, Long> e : busySince.entrySet()) {
      long since = e.getValue();
      if (since != 0 && now - since > stallAfter.toNanos()) {
        return Optional.of(
            e.getKey() + " has been recording one poll for " + (now - since) / 1_000_000 + " ms");
      }
    }
    long ended = lastStallEndedAt;
    if (ended != 0 && now - ended < lastStallNs) {
      return Optional.of(
          "a recorder stalled for "
              + lastStallNs / 1_000_000
              + " ms and is catching up on what it did not read meanwhile");
    }
    return Optional.empty();
  }
}
