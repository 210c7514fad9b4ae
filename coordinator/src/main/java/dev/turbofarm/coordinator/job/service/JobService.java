package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.job.JobSpec;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.persistence.ImageEntity;
import dev.turbofarm.coordinator.job.persistence.JobEntity;
import dev.turbofarm.coordinator.job.persistence.JobState;
import dev.turbofarm.coordinator.job.rest.JobView;
import dev.turbofarm.coordinator.profile.ProfileService;
import dev.turbofarm.coordinator.team.Teams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Accepts and reads jobs. A job is committed to PostgreSQL before {@link #submit} returns; the
 * dispatcher takes it to Kafka from there (the job table is the outbox).
 */
@ApplicationScoped
public class JobService {
  private final EntityManager em;
  private final ProfileService profiles;
  private final FarmConfig config;
  private final Teams teams;
  private final Counter accepted;

  JobService(
      EntityManager em,
      ProfileService profiles,
      FarmConfig config,
      Teams teams,
      MeterRegistry metrics) {
    this.em = em;
    this.profiles = profiles;
    this.config = config;
    this.teams = teams;
    this.accepted = metrics.counter("turbofarm.jobs.accepted");
  }

  /**
   * Validates, resolves and stores a job as QUEUED.
   *
   * @throws dev.turbofarm.common.job.InvalidJobException naming every bad field
   * @throws dev.turbofarm.coordinator.team.QuotaExceededException past the team's quota
   */
  @Transactional
  public JobView submit(JobRequest request) {
    JobSpec spec = JobRules.resolve(request, profiles.lookup(), config.jobs().defaultProfile());
    // Same per-team queue quota as catalogues, checked in this transaction (429 past it).
    em.unwrap(Session.class).doWork(c -> teams.checkQuota(c, spec.team(), 1));
    JobEntity job = new JobEntity();
    job.id = UUID.randomUUID();
    job.team = spec.team();
    job.state = JobState.QUEUED;
    job.prompt = spec.prompt();
    job.negativePrompt = spec.negativePrompt();
    job.profile = spec.profile();
    job.width = spec.width();
    job.height = spec.height();
    job.steps = spec.steps();
    job.guidance = spec.guidance();
    job.seeds = spec.seeds().toArray(Long[]::new);
    job.imageCount = spec.count();
    if (spec.fallback() != null) {
      job.fallbackProfile = spec.fallback().name();
      job.fallbackWidth = spec.fallback().width();
      job.fallbackHeight = spec.fallback().height();
      job.fallbackSteps = spec.fallback().steps();
    }
    // Interactive single jobs go ahead of bulk catalogue work.
    job.priority = 10;
    job.createdAt = OffsetDateTime.now();
    em.persist(job);
    accepted.increment();
    // A new job has no images: no query for them on the submit path.
    return view(job, List.of());
  }

  public JobView get(UUID id) {
    JobEntity job = em.find(JobEntity.class, id);
    if (job == null) {
      throw new JobNotFoundException(id);
    }
    return view(job);
  }

  private JobView view(JobEntity job) {
    return view(job, images(job));
  }

  private List<JobView.ImageView> images(JobEntity job) {
    return em
        .createQuery(
            "from ImageEntity i where i.key.jobId = :id order by i.key.idx", ImageEntity.class)
        .setParameter("id", job.id)
        .getResultList()
        .stream()
        .map(
            i ->
                new JobView.ImageView(
                    i.key.idx,
                    i.path,
                    i.seed,
                    i.width,
                    i.height,
                    i.steps,
                    i.guidance,
                    i.modelId,
                    i.workerId,
                    i.batchSize,
                    i.queueWaitMs,
                    i.renderMs,
                    i.quality,
                    i.sharpness,
                    i.fallbackProfile,
                    i.finishedAt,
                    i.createdAt))
        .toList();
  }

  private JobView view(JobEntity job, List<JobView.ImageView> images) {
    return new JobView(
        job.id,
        job.state.name(),
        job.reason,
        job.team,
        job.prompt,
        job.negativePrompt,
        job.profile,
        job.width,
        job.height,
        job.steps,
        job.guidance,
        job.imageCount,
        Arrays.asList(job.seeds),
        job.attempt,
        job.fallbackProfile,
        job.workerId,
        job.createdAt,
        job.dispatchedAt,
        job.completedAt,
        images);
  }
}
