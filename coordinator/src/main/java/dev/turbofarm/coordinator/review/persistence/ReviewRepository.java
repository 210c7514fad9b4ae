package dev.turbofarm.coordinator.review.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code image_review} table, through JPA: one current review per image, and a batch's review
 * counts. Inside the caller's transaction.
 */
@ApplicationScoped
public class ReviewRepository {
  private final EntityManager em;

  ReviewRepository(EntityManager em) {
    this.em = em;
  }

  /**
   * An image's review.
   *
   * @param verdict {@code approved}, {@code rejected}, or null (reviewed without a verdict)
   * @param reviewedAt when, by the coordinator's clock
   */
  public record StoredReview(
      UUID jobId,
      int index,
      String verdict,
      Integer rating,
      String note,
      String reviewer,
      OffsetDateTime reviewedAt) {}

  public Optional<StoredReview> find(UUID jobId, int index) {
    return Optional.ofNullable(em.find(ReviewEntity.class, new ImageKey(jobId, index)))
        .map(ReviewRepository::of);
  }

  /** Stores the image's review, replacing any. The image row must exist (a foreign key). */
  public StoredReview save(
      UUID jobId, int index, String verdict, Integer rating, String note, String reviewer) {
    ImageKey key = new ImageKey(jobId, index);
    ReviewEntity e = em.find(ReviewEntity.class, key);
    boolean fresh = e == null;
    if (fresh) {
      e = new ReviewEntity();
      e.key = key;
    }
    e.set(verdict, rating, note, reviewer, OffsetDateTime.now());
    if (fresh) {
      em.persist(e);
    }
    em.flush();
    return of(e);
  }

  /**
   * A batch's reviewed images by verdict.
   *
   * @param approved images approved
   * @param rejected images rejected
   */
  public record BatchReviews(long approved, long rejected) {}

  /** Approved and rejected images of a batch (index {@code job_batch_idx}, then primary keys). */
  public BatchReviews countsOfBatch(UUID batchId) {
    Object[] row =
        (Object[])
            em.createNativeQuery(
                    "SELECT count(*) FILTER (WHERE r.verdict = 'approved'),"
                        + " count(*) FILTER (WHERE r.verdict = 'rejected')"
                        + " FROM job j JOIN image_review r ON r.job_id = j.id"
                        + " WHERE j.batch_id = ?1")
                .setParameter(1, batchId)
                .getSingleResult();
    return new BatchReviews(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
  }

  private static StoredReview of(ReviewEntity e) {
    return new StoredReview(
        e.key.jobId, e.key.idx, e.verdict, e.rating, e.note, e.reviewer, e.reviewedAt);
  }
}
