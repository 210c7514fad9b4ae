package dev.turbofarm.coordinator.job.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A job row. Only the job service touches it; the API speaks records. */
@Entity
@Table(name = "job")
public class JobEntity {
  @Id public UUID id;

  @Column(nullable = false)
  public String team;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public JobState state;

  public String reason;

  @Column(nullable = false)
  public String prompt;

  @Column(name = "negative_prompt", nullable = false)
  public String negativePrompt;

  @Column(nullable = false)
  public String profile;

  public int width;
  public int height;
  public int steps;
  public double guidance;

  @Column(nullable = false)
  public Long[] seeds;

  @Column(name = "image_count")
  public int imageCount;

  public int priority;
  public int attempt;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "dispatched_at")
  public OffsetDateTime dispatchedAt;

  @Column(name = "completed_at")
  public OffsetDateTime completedAt;

  @Column(name = "lease_until")
  public OffsetDateTime leaseUntil;

  @Column(name = "worker_id")
  public String workerId;

  @Column(name = "fallback_profile")
  public String fallbackProfile;

  @Column(name = "fallback_width")
  public Integer fallbackWidth;

  @Column(name = "fallback_height")
  public Integer fallbackHeight;

  @Column(name = "fallback_steps")
  public Integer fallbackSteps;
}
