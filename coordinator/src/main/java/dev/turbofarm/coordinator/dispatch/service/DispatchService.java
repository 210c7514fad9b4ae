package dev.turbofarm.coordinator.dispatch.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.dispatch.persistence.DispatchPauseRepository;
import dev.turbofarm.coordinator.dispatch.persistence.QueueListener;
import dev.turbofarm.coordinator.job.persistence.JobQueueRepository;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.model.service.ModelRouting;
import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Moves QUEUED jobs from PostgreSQL towards Kafka. The job table is the outbox: rows are claimed
 * ({@link FairShare}), sent and acknowledged by the broker, and only then marked DISPATCHED, all in
 * one transaction. A crash in between re-sends the job (at least once; results are idempotent),
 * never loses it. Also the admin's farm-wide pause.
 */
@ApplicationScoped
public class DispatchService {
  private static final Logger LOG = Logger.getLogger(DispatchService.class);

  /** At most one warning about jobs without a model per minute, ns: the dispatcher polls each s. */
  private static final long NO_MODEL_WARNING_NS = 60_000_000_000L;

  private volatile long lastNoModelWarning = System.nanoTime() - NO_MODEL_WARNING_NS;

  private final JobQueueRepository queue;
  private final JobRepository jobs;
  private final DispatchPauseRepository pauses;
  private final QueueListener listener;
  private final FairShare fairShare;
  private final ModelRouting models;
  private final FarmConfig config;
  private final Audit audit;
  private final Counter dispatched;

  DispatchService(
      JobQueueRepository queue,
      JobRepository jobs,
      DispatchPauseRepository pauses,
      QueueListener listener,
      FairShare fairShare,
      ModelRouting models,
      FarmConfig config,
      Audit audit,
      MeterRegistry metrics) {
    this.queue = queue;
    this.jobs = jobs;
    this.pauses = pauses;
    this.listener = listener;
    this.fairShare = fairShare;
    this.models = models;
    this.config = config;
    this.audit = audit;
    this.dispatched = metrics.counter("turbofarm.jobs.dispatched");
  }

  /**
   * Claims, sends and marks one page of QUEUED jobs in one transaction; a failed send rolls the
   * claim back and the jobs stay QUEUED.
   *
   * @return how many went out
   */
  @Transactional(rollbackOn = Exception.class)
  public int dispatchOnce(JobSender sender) throws Exception {
    List<JobMessage> sent = send(sender, () -> fairShare.claim(config.dispatcher().claimSize()));
    fairShare.charge(sent);
    return sent.size();
  }

  /**
   * Claims, sends and marks the QUEUED interactive jobs only, in one short transaction: the
   * interactive dispatcher thread's work, so an interactive job never waits for a bulk claim of
   * hundreds of jobs to be sent and marked (docs/adr/0014-priority-end-to-end.md).
   *
   * @return how many went out
   */
  @Transactional(rollbackOn = Exception.class)
  public int dispatchInteractive(JobSender sender) throws Exception {
    return send(sender, () -> queue.lockInteractive(config.dispatcher().claimSize())).size();
  }

  /**
   * Unless dispatch is paused: claims rows (locked until the caller's transaction ends), sends
   * them, waits for the broker's acknowledgement and marks them DISPATCHED.
   */
  private List<JobMessage> send(JobSender sender, Supplier<List<UUID>> claim) throws Exception {
    queue.relaxCommitDurability();
    if (pauses.current().isPresent()) {
      return List.of();
    }
    long now = System.currentTimeMillis();
    List<UUID> claimed = claim.get();
    if (claimed.isEmpty()) {
      return List.of();
    }
    List<JobMessage> messages = withModels(queue.messages(claimed, now));
    if (messages.isEmpty()) {
      return List.of();
    }
    sender.sendAll(messages);
    queue.markDispatched(
        messages.stream().map(JobMessage::jobId).toList(),
        config.leases().dispatchLease().toMillis());
    dispatched.increment(messages.size());
    return messages;
  }

  /**
   * Jobs without a model (queued before jobs named models, or while no model was known) get the
   * farm's default model now. While none is known either, they are not sent: they stay QUEUED
   * (their claim ends with this transaction) until a worker reports its model.
   */
  private List<JobMessage> withModels(List<JobMessage> messages) {
    if (messages.stream().allMatch(m -> m.model() != null)) {
      return messages;
    }
    String model = models.defaultModel();
    if (model == null) {
      long now = System.nanoTime();
      if (now - lastNoModelWarning > NO_MODEL_WARNING_NS) {
        lastNoModelWarning = now;
        LOG.warn(
            "jobs without a model wait QUEUED: no worker has reported its model yet and"
                + " turbofarm.jobs.default-model is not set; start a worker or set the default");
      }
      return messages.stream().filter(m -> m.model() != null).toList();
    }
    return messages.stream().map(m -> m.model() != null ? m : m.withModel(model)).toList();
  }

  /** Wake-ups for the dispatcher: a NOTIFY whenever there may be work. */
  public interface Wakeups extends AutoCloseable {
    /** Returns at once if work was announced since the last call; else waits up to {@code max}. */
    void await(Duration max);

    @Override
    void close();
  }

  /** Opens a listening connection; the caller closes it, and reopens it after a failure. */
  public Wakeups wakeups() {
    return wakeups(listener.listen());
  }

  /** Wake-ups when an interactive job is queued. */
  public Wakeups interactiveWakeups() {
    return wakeups(listener.listenInteractive());
  }

  private static Wakeups wakeups(QueueListener.Listening l) {
    return new Wakeups() {
      @Override
      public void await(Duration max) {
        l.await(max);
      }

      @Override
      public void close() {
        l.close();
      }
    };
  }

  /** Dispatch state and queue depth. */
  public DispatchState state() {
    var pause = pauses.current();
    return new DispatchState(
        pause.isPresent(),
        pause.map(DispatchPauseRepository.Pause::pausedAt).orElse(null),
        pause.map(DispatchPauseRepository.Pause::reason).orElse(null),
        jobs.count(JobState.QUEUED),
        jobs.count(JobState.DISPATCHED),
        fairShare.window());
  }

  /**
   * Pauses dispatch farm-wide: jobs are still accepted and wait QUEUED; workers finish theirs.
   * Recorded in the audit trail.
   */
  @Transactional
  public DispatchState pause(String reason, Caller caller) {
    pauses.pause(reason);
    audit.record(caller, "dispatch.pause", null, reason);
    LOG.warnf(
        "dispatch PAUSED by %s (%s): jobs are accepted and wait QUEUED until resumed",
        caller.name(), reason);
    return state();
  }

  /** Resumes dispatch; recorded in the audit trail. */
  @Transactional
  public DispatchState resume(Caller caller) {
    pauses.resume();
    audit.record(caller, "dispatch.resume", null, null);
    LOG.infof("dispatch resumed by %s", caller.name());
    return state();
  }
}
