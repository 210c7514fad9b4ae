package dev.turbofarm.coordinator.review.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code image_review}: an image's current review. Never leaves this package. */
@Entity
@Table(name = "image_review")
public class ReviewEntity {
  @EmbeddedId ImageKey key;

  @Column(name = "verdict")
  String verdict;

  @Column(name = "rating")
  Integer rating;

  @Column(name = "note")
  String note;

  @Column(name = "reviewer")
  String reviewer;

  @Column(name = "reviewed_at")
  OffsetDateTime reviewedAt;

  /**
   * Sets every reviewed field. Within the entity, so that Hibernate's enhanced dirty tracking sees
   * the change (a field written from another class is not tracked).
   */
  void set(String verdict, Integer rating, String note, String reviewer, OffsetDateTime at) {
    this.verdict = verdict;
    this.rating = rating;
    this.note = note;
    this.reviewer = reviewer;
    this.reviewedAt = at;
  }
}
