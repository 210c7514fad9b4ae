package dev.turbofarm.coordinator.job.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One rendered image of a job; written only by the result recorder (plain SQL, idempotent). */
@Entity
@Table(name = "image")
public class ImageEntity {
  @EmbeddedId public Key key;

  public String path;
  public long seed;
  public int width;
  public int height;
  public int steps;
  public double guidance;

  @Column(name = "model_id")
  public String modelId;

  @Column(name = "worker_id")
  public String workerId;

  @Column(name = "batch_size")
  public int batchSize;

  @Column(name = "queue_wait_ms")
  public long queueWaitMs;

  @Column(name = "render_ms")
  public long renderMs;

  public Double quality;
  public Double sharpness;
  public int attempt;

  @Column(name = "fallback_profile")
  public String fallbackProfile;

  /** When the coordinator recorded the result. */
  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  /** When the worker published the result, by the worker's clock. */
  @Column(name = "finished_at")
  public OffsetDateTime finishedAt;

  /** (job, image index). */
  @Embeddable
  public static class Key implements Serializable {
    @Column(name = "job_id")
    public UUID jobId;

    public int idx;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.jobId.equals(jobId) && k.idx == idx;
    }

    @Override
    public int hashCode() {
      return jobId.hashCode() * 31 + idx;
    }
  }
}
