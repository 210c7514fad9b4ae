package dev.turbofarm.coordinator.review.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** An image's key: its job and its index. */
@Embeddable
public class ImageKey implements Serializable {
  private static final long serialVersionUID = 1L;

  @Column(name = "job_id")
  UUID jobId;

  @Column(name = "idx")
  int idx;

  protected ImageKey() {}

  ImageKey(UUID jobId, int idx) {
    this.jobId = jobId;
    this.idx = idx;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageKey k && k.idx == idx && Objects.equals(k.jobId, jobId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, idx);
  }
}
