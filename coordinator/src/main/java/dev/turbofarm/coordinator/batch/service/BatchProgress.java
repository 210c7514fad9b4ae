package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.coordinator.batch.persistence.BatchRepository;
import dev.turbofarm.coordinator.batch.persistence.BatchRepository.BatchRow;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.job.persistence.StateCount;
import dev.turbofarm.coordinator.review.persistence.ReviewRepository;
import dev.turbofarm.coordinator.security.service.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/** A batch's counts per state, its rendering rate over the last minute and its ETA. */
@ApplicationScoped
public class BatchProgress {
  /** Window of the images/s figure, seconds: long enough to smooth batch-by-batch rendering. */
  static final int RATE_WINDOW_S = 60;

  private final BatchRepository batches;
  private final JobRepository jobs;
  private final ReviewRepository reviews;

  BatchProgress(BatchRepository batches, JobRepository jobs, ReviewRepository reviews) {
    this.batches = batches;
    this.jobs = jobs;
    this.reviews = reviews;
  }

  /**
   * The batch's progress now, for a caller that may read it.
   *
   * @throws BatchNotFoundException for an unknown id, and for another team's batch
   */
  public Progress of(UUID id, Caller caller) {
    requireReadable(id, caller);
    return of(id);
  }

  /**
   * Fails unless the batch exists and the caller may read it; the same 404 either way.
   *
   * @return the batch's team
   * @throws BatchNotFoundException for an unknown id, and for another team's batch
   */
  public String requireReadable(UUID id, Caller caller) {
    return batches
        .find(id)
        .filter(b -> caller.canRead(b.team()))
        .orElseThrow(() -> new BatchNotFoundException(id))
        .team();
  }

  /**
   * The batch's progress now, whoever asks (the completion scheduler).
   *
   * @throws BatchNotFoundException for an unknown id
   */
  @Transactional
  public Progress of(UUID id) {
    BatchRow b = batches.find(id).orElseThrow(() -> new BatchNotFoundException(id));
    Map<JobState, StateCount> byState = new EnumMap<>(JobState.class);
    long recentImages = 0;
    for (StateCount s : jobs.countsOfBatch(id, RATE_WINDOW_S)) {
      byState.put(s.state(), s);
      recentImages += s.recentImages();
    }
    StateCount zero = new StateCount(null, 0, 0, 0);
    long queued = byState.getOrDefault(JobState.QUEUED, zero).jobs();
    long dispatched = byState.getOrDefault(JobState.DISPATCHED, zero).jobs();
    long succeeded = byState.getOrDefault(JobState.SUCCEEDED, zero).jobs();
    long failed = byState.getOrDefault(JobState.FAILED, zero).jobs();
    long cancelledJobs = byState.getOrDefault(JobState.CANCELLED, zero).jobs();
    long totalImages = byState.values().stream().mapToLong(StateCount::images).sum();
    long doneImages = byState.getOrDefault(JobState.SUCCEEDED, zero).images();
    long remaining =
        byState.getOrDefault(JobState.QUEUED, zero).images()
            + byState.getOrDefault(JobState.DISPATCHED, zero).images();
    double window = Math.max(1.0, Math.min(RATE_WINDOW_S, b.ageS()));
    double rate = recentImages / window;
    Long eta = rate > 0 && remaining > 0 ? (long) Math.ceil(remaining / rate) : null;
    boolean done = queued + dispatched == 0;
    String state;
    // A cancel that found nothing queued (the batch had finished) leaves it COMPLETED.
    if (b.cancelledAt() != null && (cancelledJobs > 0 || !done)) {
      state = done ? "CANCELLED" : "CANCELLING";
    } else {
      state = done ? "COMPLETED" : "RUNNING";
    }
    return new Progress(
        id,
        b.team(),
        b.name(),
        state,
        done,
        new Progress.Jobs(
            queued + dispatched + succeeded + failed + cancelledJobs,
            queued,
            dispatched,
            succeeded,
            failed,
            cancelledJobs),
        new Progress.Images(totalImages, doneImages, remaining),
        Math.round(rate * 100) / 100.0,
        eta,
        b.createdAt(),
        b.completedAt(),
        b.webhookStatus(),
        reviewsOf(id, doneImages));
  }

  /** Review progress: a count over the batch's reviewed images only. */
  private Progress.Reviews reviewsOf(UUID id, long rendered) {
    ReviewRepository.BatchReviews r = reviews.countsOfBatch(id);
    return new Progress.Reviews(
        r.approved(), r.rejected(), Math.max(0, rendered - r.approved() - r.rejected()));
  }
}
