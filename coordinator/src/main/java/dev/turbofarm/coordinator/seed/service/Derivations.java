package dev.turbofarm.coordinator.seed.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.job.Steps;
import dev.turbofarm.common.profile.StepProfile;
import dev.turbofarm.common.seed.Derivation;
import dev.turbofarm.common.seed.Lineage;
import dev.turbofarm.common.seed.Seeds;
import dev.turbofarm.coordinator.error.ConflictProblem;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.error.NotFoundProblem;
import dev.turbofarm.coordinator.job.persistence.ImageRepository;
import dev.turbofarm.coordinator.job.persistence.ImageRow;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.job.persistence.JobRow;
import dev.turbofarm.coordinator.job.service.Job;
import dev.turbofarm.coordinator.job.service.JobService;
import dev.turbofarm.coordinator.profile.service.ProfileService;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * New jobs from a rendered image, each recording its parent image and how it was derived: variants
 * (the parent's seed plus each pool offset, mod 2^32: one job, one image per offset), refine (the
 * same seed, prompt and size, more steps) and rerun (the very same settings). A derived job renders
 * with its parent's model, so a lineage never mixes models, and belongs to the parent's team.
 */
@ApplicationScoped
public class Derivations {
  /** The step profile a refine uses when the call names none. */
  static final String REFINE_DEFAULT_STEPS = "final";

  private final JobRepository jobs;
  private final ImageRepository images;
  private final JobService submit;
  private final SeedPools pools;
  private final ProfileService profiles;

  Derivations(
      JobRepository jobs,
      ImageRepository images,
      JobService submit,
      SeedPools pools,
      ProfileService profiles) {
    this.jobs = jobs;
    this.images = images;
    this.submit = submit;
    this.pools = pools;
    this.profiles = profiles;
  }

  /**
   * One job whose seeds are the parent's seed plus each offset of the pool.
   *
   * @throws NotFoundProblem for an image that does not exist or is not in {@code scope}
   * @throws ConflictProblem for an image not rendered yet
   */
  @Transactional
  public Job variants(UUID jobId, int index, VariantsRequest request, TeamScope scope) {
    Parent p = parent(jobId, index, scope);
    VariantsRequest r =
        request == null ? new VariantsRequest(null, null, null, null, null) : request;
    List<Long> pool = r.pool() != null ? r.pool() : pools.offsetsOf(p.job().team());
    List<FieldError> errors = JobRules.checkSeedPool("pool", pool);
    if (!errors.isEmpty()) {
      throw new InvalidInputProblem(errors);
    }
    long seed = p.image().seed();
    List<Long> seeds = pool.stream().map(o -> Seeds.offset(seed, o)).toList();
    boolean newSize = r.profile() != null;
    return submit.submitDerived(
        new JobRequest(
            r.prompt() != null ? r.prompt() : p.job().prompt(),
            r.negativePrompt() != null ? r.negativePrompt() : p.job().negativePrompt(),
            newSize ? r.profile() : p.sizeProfile(),
            newSize ? null : p.image().width(),
            newSize ? null : p.image().height(),
            r.steps() != null ? r.steps() : p.steps(),
            p.image().guidance(),
            null,
            null,
            p.job().team(),
            null,
            p.image().modelId(),
            seeds),
        new Lineage(jobId, index, Derivation.VARIANT));
  }

  /**
   * One image at the parent's seed, prompt and size with more steps ({@code final} by default).
   *
   * @throws InvalidInputProblem when the steps are not more than the parent's
   */
  @Transactional
  public Job refine(UUID jobId, int index, RefineRequest request, TeamScope scope) {
    Parent p = parent(jobId, index, scope);
    RefineRequest r = request == null ? new RefineRequest(null, null) : request;
    Steps steps = r.steps() != null ? r.steps() : Steps.profile(REFINE_DEFAULT_STEPS);
    Integer count =
        steps.count() != null
            ? steps.count()
            : profiles.steps().stream()
                .filter(s -> s.name().equals(steps.profile()))
                .map(StepProfile::steps)
                .findFirst()
                .orElse(null);
    // An unknown step profile is left to the job rules, which name the known ones.
    if (count != null && count <= p.image().steps()) {
      throw InvalidInputProblem.of(
          "steps",
          "gives "
              + count
              + " steps, not more than the parent's "
              + p.image().steps()
              + "; a refine renders with more steps (rerun renders the same ones)");
    }
    return submit.submitDerived(
        new JobRequest(
            p.job().prompt(),
            p.job().negativePrompt(),
            p.sizeProfile(),
            p.image().width(),
            p.image().height(),
            steps,
            r.guidance() != null ? r.guidance() : p.image().guidance(),
            null,
            null,
            p.job().team(),
            null,
            p.image().modelId(),
            List.of(p.image().seed())),
        new Lineage(jobId, index, Derivation.REFINE));
  }

  /** The very same image settings rendered again (a reproducibility check, a lost file). */
  @Transactional
  public Job rerun(UUID jobId, int index, TeamScope scope) {
    Parent p = parent(jobId, index, scope);
    return submit.submitDerived(
        new JobRequest(
            p.job().prompt(),
            p.job().negativePrompt(),
            p.sizeProfile(),
            p.image().width(),
            p.image().height(),
            p.steps(),
            p.image().guidance(),
            null,
            null,
            p.job().team(),
            null,
            p.image().modelId(),
            List.of(p.image().seed())),
        new Lineage(jobId, index, Derivation.RERUN));
  }

  /**
   * A rendered image and its job.
   *
   * @param sizeProfile the size profile it was rendered at (its fallback when it fell back)
   */
  private record Parent(JobRow job, ImageRow image, String sizeProfile) {

    /** Its step profile when its steps came from one, else its step count. */
    Steps steps() {
      return image.stepProfile() != null
          ? Steps.profile(image.stepProfile())
          : Steps.count(image.steps());
    }
  }

  private Parent parent(UUID jobId, int index, TeamScope scope) {
    JobRow job =
        jobs.find(jobId)
            .filter(j -> scope.sees(j.team()))
            .orElseThrow(() -> new NotFoundProblem("no image " + index + " of job " + jobId));
    if (index < 0 || index >= job.imageCount()) {
      throw new NotFoundProblem(
          "no image " + index + " of job " + jobId + "; it has " + job.imageCount() + " images");
    }
    ImageRow image =
        images.ofJob(jobId).stream()
            .filter(i -> i.index() == index)
            .findFirst()
            .orElseThrow(
                () ->
                    new ConflictProblem(
                        "image "
                            + index
                            + " of job "
                            + jobId
                            + " is not rendered (job "
                            + job.state()
                            + (job.state() == JobState.FAILED ? ": " + job.reason() : "")
                            + "); derive from a rendered image"));
    return new Parent(
        job, image, image.fallbackProfile() != null ? image.fallbackProfile() : job.profile());
  }
}
