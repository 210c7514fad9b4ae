package dev.turbofarm.coordinator.worker.service;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.persistence.JobQueueRepository;
import dev.turbofarm.coordinator.worker.persistence.WorkerRepository;
import dev.turbofarm.coordinator.worker.persistence.WorkerRepository.WorkerRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the worker registry from heartbeats, the newest one winning, and extends the lease of every
 * job a heartbeat says its worker holds. A heartbeat's send time (the worker's clock) only orders
 * that worker's heartbeats ({@code last_seen}); leases run on the database's clock.
 */
@ApplicationScoped
public class WorkerRegistry {
  private final WorkerRepository workers;
  private final JobQueueRepository queue;
  private final FarmConfig config;

  WorkerRegistry(WorkerRepository workers, JobQueueRepository queue, FarmConfig config) {
    this.workers = workers;
    this.queue = queue;
    this.config = config;
  }

  /**
   * A worker as its latest heartbeat described it, with the admin command in force.
   *
   * @param state the admin command in force (CORDONED, DRAINING, QUARANTINED), else the state the
   *     worker reported
   * @param reportedState the state of its newest heartbeat
   * @param memoryBudgetPixels most pixels one of its batches may hold; null when it does not say
   * @param controlReason why the command was given
   * @param controlApplied what the worker's newest heartbeat says it applies: equal to the command
   *     once the worker got it
   */
  public record Worker(
      String id,
      String host,
      String state,
      String reportedState,
      String modelId,
      int maxBatchSize,
      int currentBatch,
      int jobsInFlight,
      long imagesRendered,
      double imagesPerSecond,
      long heapUsedBytes,
      long rssBytes,
      OffsetDateTime firstSeen,
      OffsetDateTime lastSeen,
      Long memoryBudgetPixels,
      String controlReason,
      OffsetDateTime controlAt,
      String controlApplied) {}

  /** Records one poll's heartbeats in one transaction; only each worker's newest matters. */
  @Transactional
  public void record(List<Heartbeat> heartbeats) {
    Map<String, Heartbeat> latest = new LinkedHashMap<>();
    for (Heartbeat h : heartbeats) {
      latest.merge(h.workerId(), h, (a, b) -> a.sentAtMs() >= b.sentAtMs() ? a : b);
    }
    workers.upsertAll(latest.values());
    List<JobQueueRepository.LeaseClaim> claims = new ArrayList<>();
    for (Heartbeat h : latest.values()) {
      if (!h.jobsInFlight().isEmpty()) {
        claims.add(new JobQueueRepository.LeaseClaim(h.workerId(), h.jobsInFlight()));
      }
    }
    queue.extendLeases(claims, config.leases().workerLease().toMillis());
  }

  /**
   * What the workers that can take jobs now can hold at once: ready or busy, heard from within the
   * worker lease (the database's clock).
   */
  public Capacity capacity() {
    WorkerRepository.Capacity c = workers.capacity(config.leases().workerLease().toMillis());
    return new Capacity(c.workers(), c.batchImages());
  }

  /**
   * @param workers workers ready or busy, heard from within the worker lease
   * @param batchImages the sum of their max batches, images
   */
  public record Capacity(int workers, long batchImages) {}

  /** Every worker seen, newest heartbeat first. */
  public List<Worker> all() {
    return workers.all().stream().map(WorkerRegistry::worker).toList();
  }

  private static Worker worker(WorkerRow r) {
    return new Worker(
        r.id(),
        r.host(),
        r.control() != null ? r.control() : r.state(),
        r.state(),
        r.modelId(),
        r.maxBatchSize(),
        r.currentBatch(),
        r.jobsInFlight(),
        r.imagesRendered(),
        r.imagesPerSecond(),
        r.heapUsedBytes(),
        r.rssBytes(),
        r.firstSeen(),
        r.lastSeen(),
        r.memoryBudgetPixels(),
        r.controlReason(),
        r.controlAt(),
        r.controlApplied());
  }
}
