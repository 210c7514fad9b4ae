package dev.turbofarm.common.job;

/**
 * A job's life: QUEUED in PostgreSQL, DISPATCHED to Kafka, then one terminal state. CANCELLED is a
 * queued job of a cancelled batch: it never reached a worker and never will. The names are the
 * values of the {@code job.state} column and of the API's {@code state} field.
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
