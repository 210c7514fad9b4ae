package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.job.JobSpec;
import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.seed.Lineage;
import dev.turbofarm.coordinator.job.persistence.ImageRepository;
import dev.turbofarm.coordinator.job.persistence.ImageRow;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.job.persistence.JobRow;
import dev.turbofarm.coordinator.model.service.ModelRouting;
import dev.turbofarm.coordinator.profile.service.ProfileService;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.team.service.Teams;
import dev.turbofarm.coordinator.worker.service.WorkerCapabilities;
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
  private final ModelRouting models;
  private final Teams teams;
  private final ResultStore store;
  private final Counter accepted;
  private final WorkerCapabilities capabilities;

  JobService(
      JobRepository jobs,
      ImageRepository images,
      ProfileService profiles,
      ModelRouting models,
      Teams teams,
      ResultStore store,
      MeterRegistry metrics,
      WorkerCapabilities capabilities) {
    this.capabilities = capabilities;
    this.jobs = jobs;
    this.images = images;
    this.profiles = profiles;
    this.models = models;
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
   * @throws dev.turbofarm.coordinator.model.service.UnknownModelException for a model no known
   *     worker serves (422)
   * @throws dev.turbofarm.coordinator.team.service.QuotaExceededException past the team's quota
   */
  @Transactional
  public Job submit(JobRequest request, Caller caller) {
    return submitDerived(
        request == null ? null : request.withTeam(caller.teamFor(request.team(), "team")), null);
  }

  /**
   * Validates, resolves and stores a job derived from another image (variants, refine, rerun) as
   * QUEUED, at interactive priority, for the team the request names (the parent's: the caller was
   * checked against it).
   *
   * @param lineage the parent image and how the job derives from it; null for none
   */
  @Transactional
  public Job submitDerived(JobRequest request, Lineage lineage) {
    JobSpec spec = JobRules.resolve(request, profiles.catalog(), models::defaultModel);
    if (request != null && request.model() != null) {
      models.requireKnown(spec.model(), "model");
    }
    capabilities.requireRenderable(
        spec.model(),
        spec.width(),
        spec.height(),
        spec.fallback() == null ? 0 : (long) spec.fallback().width() * spec.fallback().height());
    // Same per-team queue quota as catalogues, checked under the team's lock (429 past it).
    teams.checkQuota(spec.team(), jobs.lockAndCountQueued(spec.team()), 1);
    UUID id = UUID.randomUUID();
    OffsetDateTime created = jobs.insert(id, spec, INTERACTIVE_PRIORITY, lineage);
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
        List.of(),
        spec.model(),
        spec.stepProfile(),
        lineage);
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
    Job job = of(j, images.ofJob(id));
    if (j.state() == JobState.QUEUED && j.reason() == null) {
      String waiting = capabilities.waitingReason(j.model());
      if (waiting != null) {
        return job.withReason(waiting);
      }
    }
    return job;
  }

  /** A job row and its image rows as the service returns them. */
  public Job of(JobRow j, List<ImageRow> imageRows) {
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
        imageRows.stream().map(this::image).toList(),
        j.model(),
        j.stepProfile(),
        j.lineage());
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
        i.expiredAt(),
        i.stepProfile(),
        i.seedOffset(),
        i.verdict(),
        i.rating());
  }
}
