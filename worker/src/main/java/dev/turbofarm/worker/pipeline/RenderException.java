package dev.turbofarm.worker.pipeline;

/**
 * A batch that failed to render. {@link #retriable()} tells the worker whether another attempt
 * (another worker, a smaller batch) may succeed, or the job is poison.
 */
public class RenderException extends RuntimeException {
  private final boolean retriable;

  public RenderException(String message, boolean retriable, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  public boolean retriable() {
    return retriable;
  }
}
