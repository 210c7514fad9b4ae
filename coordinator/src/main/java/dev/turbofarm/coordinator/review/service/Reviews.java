package dev.turbofarm.coordinator.review.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.coordinator.error.ConflictProblem;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.error.NotFoundProblem;
import dev.turbofarm.coordinator.job.persistence.ImageRepository;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.job.persistence.JobRow;
import dev.turbofarm.coordinator.review.persistence.ReviewRepository;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reviews of rendered images: a verdict ({@code approved}, {@code rejected}, or none), a 1..5
 * rating and a note, with who gave it and when. An image has one current review; a new one replaces
 * it. An approved image is kept by the retention sweeper (db/README.md).
 */
@ApplicationScoped
public class Reviews {
  /** The verdicts, as stored and as the API spells them. */
  public static final Set<String> VERDICTS = Set.of("approved", "rejected");

  /** Longest note, characters: a sentence for the next reviewer, not a document. */
  public static final int MAX_NOTE_CHARS = 2000;

  private final ReviewRepository reviews;
  private final JobRepository jobs;
  private final ImageRepository images;

  Reviews(ReviewRepository reviews, JobRepository jobs, ImageRepository images) {
    this.reviews = reviews;
    this.jobs = jobs;
    this.images = images;
  }

  /**
   * Stores the image's review.
   *
   * @param verdict {@code approved}, {@code rejected}, or null to clear the verdict
   * @param reviewer who reviews (the caller's holder name)
   * @throws InvalidInputProblem naming each bad field
   * @throws NotFoundProblem for an image that does not exist or is outside {@code scope}
   * @throws ConflictProblem for an image not rendered yet
   */
  @Transactional
  public Review review(
      UUID jobId,
      int index,
      String verdict,
      Integer rating,
      String note,
      String reviewer,
      TeamScope scope) {
    List<FieldError> errors = new ArrayList<>();
    if (verdict != null && !VERDICTS.contains(verdict)) {
      errors.add(
          new FieldError("verdict", "is '" + verdict + "'; must be approved, rejected or null"));
    }
    if (rating != null && (rating < 1 || rating > 5)) {
      errors.add(new FieldError("rating", "is " + rating + "; must be 1..5"));
    }
    if (note != null && note.length() > MAX_NOTE_CHARS) {
      errors.add(
          new FieldError("note", "is " + note.length() + " characters; at most " + MAX_NOTE_CHARS));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputProblem(errors);
    }
    requireRendered(jobId, index, scope);
    var r = reviews.save(jobId, index, verdict, rating, note, reviewer);
    return new Review(
        r.jobId(), r.index(), r.verdict(), r.rating(), r.note(), r.reviewer(), r.reviewedAt());
  }

  /**
   * The image's review; null when it has none.
   *
   * @throws NotFoundProblem for an image that does not exist or is outside {@code scope}
   */
  @Transactional
  public Review get(UUID jobId, int index, TeamScope scope) {
    JobRow job = visibleJob(jobId, index, scope);
    if (index >= job.imageCount()) {
      throw new NotFoundProblem("no image " + index + " of job " + jobId);
    }
    return reviews
        .find(jobId, index)
        .map(
            r ->
                new Review(
                    r.jobId(),
                    r.index(),
                    r.verdict(),
                    r.rating(),
                    r.note(),
                    r.reviewer(),
                    r.reviewedAt()))
        .orElse(null);
  }

  private void requireRendered(UUID jobId, int index, TeamScope scope) {
    JobRow job = visibleJob(jobId, index, scope);
    if (index >= job.imageCount()) {
      throw new NotFoundProblem(
          "no image " + index + " of job " + jobId + "; it has " + job.imageCount() + " images");
    }
    if (images.ofJob(jobId).stream().noneMatch(i -> i.index() == index)) {
      throw new ConflictProblem(
          "image "
              + index
              + " of job "
              + jobId
              + " is not rendered yet (job "
              + job.state()
              + "); review it once it is");
    }
  }

  private JobRow visibleJob(UUID jobId, int index, TeamScope scope) {
    if (index < 0) {
      throw new NotFoundProblem("no image " + index + " of job " + jobId);
    }
    return jobs.find(jobId)
        .filter(j -> scope.sees(j.team()))
        .orElseThrow(() -> new NotFoundProblem("no image " + index + " of job " + jobId));
  }
}
