package dev.turbofarm.launcher;

/**
 * The farm could not start or a part of it failed. The message is written for the person at the
 * terminal: which process, what happened, which log file to read, what to try.
 */
public class FarmException extends RuntimeException {
  public FarmException(String message) {
    super(message);
  }

  public FarmException(String message, Throwable cause) {
    super(message, cause);
  }
}
