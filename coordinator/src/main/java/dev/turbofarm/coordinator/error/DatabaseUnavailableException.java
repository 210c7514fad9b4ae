package dev.turbofarm.coordinator.error;

/**
 * PostgreSQL is unreachable, shutting down, out of connections or briefly unable to finish the work
 * (deadlock, serialization failure): a retry can help. Thrown by the repositories through {@link
 * DatabaseFailures}, the one place that classifies SQL failures; answered 503, and the consumer
 * loops retry the poll.
 */
public final class DatabaseUnavailableException extends UnavailableProblem {

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The technical message is logged; the caller learns what it means for them. */
  @Override
  public String detail() {
    return "the job database is unreachable; nothing was accepted, retry shortly";
  }
}
