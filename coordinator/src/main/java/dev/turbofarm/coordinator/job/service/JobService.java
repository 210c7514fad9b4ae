package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.job.JobSpec;
import dev.turbofarm.common.job.JobState;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.persistence.ImageRepository;
import dev.turbofarm.coordinator.job.persistence.ImageRow;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.job.persistence.JobRow;
import dev.turbofarm.coordinator.profile.service.ProfileService;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.team.service.Teams;
import dev.turbofarm.store.ResultStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Accepts and reads jobs. A job is committed to PostgreSQL before {@link #submit} returns; the
 * dispatcher takes it to Kafka from there (the job table is the outbox).
 */
@ApplicationScoped
public class JobService {
  /** Interactive single jobs' dispatch priority: ahead of bulk catalogue work (0). */
  static final int INTERACTIVE_PRIORITY = 10;

  private final JobRepository jobs;
  private final ImageRepository images;
  private final ProfileService profiles;
  private final FarmConfig config;
  private final Teams teams;
  private final ResultStore store;
  private final Counter accepted;

  JobService(
      JobRepository jobs,
      ImageRepository images,
      ProfileService profiles,
      FarmConfig config,
      Teams teams,
      ResultStore store,
      MeterRegistry metrics) {
    this.jobs = jobs;
    this.images = images;
    this.profiles = profiles;
    this.config = config;
    this.teams = teams;
    this.store = store;
    this.accepted = metrics.counter("turbofarm.jobs.accepted");
  }

  /**
   * Validates, resolves and stores a job as QUEUED, for the caller's team (an admin may name
   * another).
   *
   * @throws dev.turbofarm.common.job.InvalidJobException naming every bad field
   * @throws dev.turbofarm.coordinator.error.ForbiddenProblem when a non-admin names another team
   * @throws dev.turbofarm.coordinator.team.service.QuotaExceededException past the team's quota
   */
  @Transactional
  public Job submit(JobRequest request, Caller caller) {
    JobRequest own =
        request == null
            ? null
            : new JobRequest(
                request.prompt(),
                request.negativePrompt(),
                request.profile(),
                request.width(),
                request.height(),
                request.steps(),
                request.guidance(),
                request.seed(),
                request.count(),
                caller.teamFor(request.team(), "team"),
                request.fallbackProfile());
    JobSpec spec = JobRules.resolve(own, profiles.lookup(), config.jobs().defaultProfile());
    // Same per-team queue quota as catalogues, checked under the team's lock (429 past it).
    teams.checkQuota(spec.team(), jobs.lockAndCountQueued(spec.team()), 1);
    UUID id = UUID.randomUUID();
    OffsetDateTime created = jobs.insert(id, spec, INTERACTIVE_PRIORITY);
    accepted.increment();
    // A new job has no images: no query for them on the submit path.
    return new Job(
        id,
        JobState.QUEUED,
        null,
        spec.team(),
        spec.prompt(),
        spec.negativePrompt(),
        spec.profile(),
        spec.width(),
        spec.height(),
        spec.steps(),
        spec.guidance(),
        spec.count(),
        spec.seeds(),
        0,
        spec.fallback() == null ? null : spec.fallback().name(),
        null,
        created,
        null,
        null,
        List.of());
  }

  /**
   * The job with its images.
   *
   * @throws JobNotFoundException for an unknown id, and for another team's job: the caller learns
   *     nothing of what it may not read
   */
  public Job get(UUID id, Caller caller) {
    JobRow j =
        jobs.find(id)
            .filter(row -> caller.canRead(row.team()))
            .orElseThrow(() -> new JobNotFoundException(id));
    return new Job(
        j.id(),
        j.state(),
        j.reason(),
        j.team(),
        j.prompt(),
        j.negativePrompt(),
        j.profile(),
        j.width(),
        j.height(),
        j.steps(),
        j.guidance(),
        j.imageCount(),
        j.seeds(),
        j.attempt(),
        j.fallbackProfile(),
        j.workerId(),
        j.createdAt(),
        j.dispatchedAt(),
        j.completedAt(),
        images.ofJob(id).stream().map(this::image).toList());
  }

  private Job.Image image(ImageRow i) {
    return new Job.Image(
        i.index(),
        // A path only where there is a file: derived from the key under this coordinator's root.
        i.expiredAt() == null
            ? store.localPath(i.storageKey()).map(java.nio.file.Path::toString).orElse(null)
            : null,
        i.seed(),
        i.width(),
        i.height(),
        i.steps(),
        i.guidance(),
        i.modelId(),
        i.workerId(),
        i.batchSize(),
        i.queueWaitMs(),
        i.renderMs(),
        i.quality(),
        i.sharpness(),
        i.fallbackProfile(),
        i.finishedAt(),
        i.createdAt(),
        i.sha256(),
        i.bytes(),
        i.thumbnails(),
        i.expiredAt());
  }
}
