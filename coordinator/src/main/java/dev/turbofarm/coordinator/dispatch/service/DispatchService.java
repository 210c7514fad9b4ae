package dev.turbofarm.coordinator.dispatch.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.dispatch.persistence.DispatchPauseRepository;
import dev.turbofarm.coordinator.dispatch.persistence.QueueListener;
import dev.turbofarm.coordinator.job.persistence.JobQueueRepository;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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

  private final JobQueueRepository queue;
  private final JobRepository jobs;
  private final DispatchPauseRepository pauses;
  private final QueueListener listener;
  private final FairShare fairShare;
  private final FarmConfig config;
  private final Counter dispatched;

  DispatchService(
      JobQueueRepository queue,
      JobRepository jobs,
      DispatchPauseRepository pauses,
      QueueListener listener,
      FairShare fairShare,
      FarmConfig config,
      MeterRegistry metrics) {
    this.queue = queue;
    this.jobs = jobs;
    this.pauses = pauses;
    this.listener = listener;
    this.fairShare = fairShare;
    this.config = config;
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
    queue.relaxCommitDurability();
    if (pauses.current().isPresent()) {
      return 0;
    }
    long now = System.currentTimeMillis();
    List<UUID> claimed = fairShare.claim(config.dispatcher().claimSize());
    if (claimed.isEmpty()) {
      return 0;
    }
    List<JobMessage> messages = queue.messages(claimed, now);
    sender.sendAll(messages);
    queue.markDispatched(claimed, config.leases().dispatchLease().toMillis());
    dispatched.increment(messages.size());
    return messages.size();
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
    queue.relaxCommitDurability();
    if (pauses.current().isPresent()) {
      return 0;
    }
    long now = System.currentTimeMillis();
    List<UUID> claimed = queue.lockInteractive(config.dispatcher().claimSize());
    if (claimed.isEmpty()) {
      return 0;
    }
    List<JobMessage> messages = queue.messages(claimed, now);
    sender.sendAll(messages);
    queue.markDispatched(claimed, config.leases().dispatchLease().toMillis());
    dispatched.increment(messages.size());
    return messages.size();
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

  /** Pauses dispatch farm-wide: jobs are still accepted and wait QUEUED; workers finish theirs. */
  public DispatchState pause(String reason) {
    pauses.pause(reason);
    LOG.warnf("dispatch PAUSED (%s): jobs are accepted and wait QUEUED until resumed", reason);
    return state();
  }

  public DispatchState resume() {
    pauses.resume();
    LOG.info("dispatch resumed");
    return state();
  }
}
