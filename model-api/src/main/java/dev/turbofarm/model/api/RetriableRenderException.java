package dev.turbofarm.model.api;

/**
 * A render that failed for a reason outside the request (an engine failure, an interruption, too
 * little memory for the batch): another attempt, elsewhere or later, may succeed.
 */
public non-sealed class RetriableRenderException extends RenderException {

  public RetriableRenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
