package dev.turbofarm.coordinator.job.persistence;

/**
 * A job's life: QUEUED in PostgreSQL, DISPATCHED to Kafka, then one terminal state. CANCELLED is a
 * queued job of a cancelled batch: it never reached a worker and never will.
 */
public enum JobState {
  QUEUED,
  DISPATCHED,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
