package dev.turbofarm.coordinator.job.persistence;

/** A job's life: QUEUED in PostgreSQL, DISPATCHED to Kafka, then one terminal state. */
public enum JobState {
  QUEUED,
  DISPATCHED,
  SUCCEEDED,
  FAILED;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
