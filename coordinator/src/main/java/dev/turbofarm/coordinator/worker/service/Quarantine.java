package dev.turbofarm.coordinator.worker.service;

import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.WorkerCommand;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.worker.persistence.QuarantineRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Quarantines a worker whose renders keep failing while other workers of the same model succeed
 * (docs/operations.md, "Quarantine"): {@code turbofarm.quarantine.failures} retriable failures
 * within the window of jobs that failed on no other worker (a job that fails everywhere is at fault
 * itself), and a success of another worker of its model within the same window (if every worker
 * fails, the jobs or the model are at fault, not one worker). A quarantined worker takes no jobs
 * ({@link WorkerControl}, control topic), and the attempts its failures used are given back to the
 * jobs, those it drove to FAILED re-queued. An admin releases it with {@code POST
 * /api/v1/admin/workers/{id}/release}.
 */
@ApplicationScoped
public class Quarantine {
  private static final Logger LOG = Logger.getLogger(Quarantine.class);

  private final QuarantineRepository failures;
  private final JobRepository jobs;
  private final WorkerControl control;
  private final FarmConfig config;
  private final Counter quarantined;

  /** Newest success per model and worker, epoch ms (this replica's recorder). */
  private final Map<String, Map<String, Long>> successes = new ConcurrentHashMap<>();

  Quarantine(
      QuarantineRepository failures,
      JobRepository jobs,
      WorkerControl control,
      FarmConfig config,
      MeterRegistry metrics) {
    this.failures = failures;
    this.jobs = jobs;
    this.control = control;
    this.config = config;
    this.quarantined = metrics.counter("turbofarm.workers.quarantined");
  }

  /** Notes successful renders (called by the result recorder). */
  public void succeeded(Collection<ResultMessage> ok) {
    long now = System.currentTimeMillis();
    for (ResultMessage m : ok) {
      if (m.modelId() != null && m.workerId() != null) {
        successes
            .computeIfAbsent(m.modelId(), k -> new ConcurrentHashMap<>())
            .put(m.workerId(), now);
      }
    }
  }

  /**
   * Keeps a retriable failure of a live attempt against its worker (in the caller's transaction).
   */
  public void failed(ResultMessage m) {
    if (m.retriable() && m.workerId() != null) {
      failures.recordFailure(m.jobId(), m.attempt(), m.workerId(), m.modelId());
    }
  }

  /**
   * After a poll's results are committed: quarantines the workers of its retriable failures that
   * crossed the limit, and gives back the attempts a quarantined worker's late failures used.
   */
  public void evaluate(List<ResultMessage> polled) {
    if (!config.quarantine().enabled()) {
      return;
    }
    Map<String, String> failing = new LinkedHashMap<>();
    for (ResultMessage m : polled) {
      if (m.status() == ResultMessage.Status.FAILED && m.retriable() && m.workerId() != null) {
        failing.putIfAbsent(m.workerId(), m.modelId());
      }
    }
    for (Map.Entry<String, String> e : failing.entrySet()) {
      try {
        evaluate(e.getKey(), e.getValue());
      } catch (RuntimeException ex) {
        LOG.warnf(
            "could not check worker %s for quarantine (%s); its next failure checks again",
            e.getKey(), ex.getMessage());
      }
    }
  }

  private void evaluate(String worker, String model) {
    long windowMs = config.quarantine().window().toMillis();
    if ("QUARANTINED".equals(failures.control(worker))) {
      // A late failure of a batch it held when quarantined: not the job's fault either.
      refund(worker);
      return;
    }
    int n = failures.recentFailures(worker, windowMs);
    if (n < config.quarantine().failures()) {
      return;
    }
    String other = otherSuccessful(model, worker, windowMs);
    if (other == null) {
      LOG.debugf(
          "worker %s failed %d renders, but no other worker of model %s succeeded lately: not"
              + " quarantined (the jobs or the model may be at fault)",
          worker, n, model);
      return;
    }
    String reason =
        n
            + " renders failed within "
            + config.quarantine().window().toSeconds()
            + " s while worker "
            + other
            + " rendered model "
            + model
            + " fine";
    boolean mine =
        QuarkusTransaction.requiringNew().call(() -> failures.quarantine(worker, reason));
    if (!mine) {
      return;
    }
    quarantined.increment();
    int given = refund(worker);
    control.commandBySystem(worker, WorkerCommand.Command.QUARANTINE, reason);
    LOG.errorf(
        "worker %s QUARANTINED: %s. It takes no jobs; %d jobs got the attempts it used back and"
            + " go to other workers. Check its GPU, drivers and logs, then release it with POST"
            + " /api/v1/admin/workers/%s/release",
        worker, reason, given, worker);
  }

  private int refund(String worker) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              List<UUID> touched = failures.unrefundedJobs(worker);
              if (touched.isEmpty()) {
                return 0;
              }
              jobs.lockInIdOrder(touched);
              return failures.refund(worker, config.jobs().maxAttempts());
            });
  }

  private String otherSuccessful(String model, String worker, long windowMs) {
    Map<String, Long> byWorker = model == null ? null : successes.get(model);
    if (byWorker == null) {
      return null;
    }
    long since = System.currentTimeMillis() - windowMs;
    for (Map.Entry<String, Long> e : byWorker.entrySet()) {
      if (!e.getKey().equals(worker) && e.getValue() >= since) {
        return e.getKey();
      }
    }
    return null;
  }
}
