package dev.turbofarm.embedded;

/**
 * An embedded service (broker or database) could not start. The message names the service, the
 * directory or port involved and what to check, so that it can be shown to a user as is.
 */
public class EmbeddedStartException extends RuntimeException {
  public EmbeddedStartException(String message, Throwable cause) {
    super(message, cause);
  }

  public EmbeddedStartException(String message) {
    super(message);
  }
}
