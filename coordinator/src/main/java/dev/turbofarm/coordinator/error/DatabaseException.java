package dev.turbofarm.coordinator.error;

/**
 * A SQL failure a retry will not cure (a constraint, bad data, a bug): fatal for the request or the
 * Kafka record at hand. Answered 500 and logged with its stack trace.
 */
public final class DatabaseException extends RuntimeException {

  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
