package dev.turbofarm.model.api;

/**
 * The batch did not fit the device's memory. Retriable in a smaller batch; a single image that
 * raises it does not fit at its size, so the worker renders its fallback profile or fails it.
 */
public final class OutOfMemoryRenderException extends RetriableRenderException {

  public OutOfMemoryRenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
