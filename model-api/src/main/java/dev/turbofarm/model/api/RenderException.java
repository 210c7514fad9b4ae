package dev.turbofarm.model.api;

/**
 * A batch that failed to render. Its type says whether another attempt can help, as Kafka's {@code
 * RetriableException} does: a {@link RetriableRenderException} (another worker, a later attempt or
 * a smaller batch may pass; {@link OutOfMemoryRenderException} is one) or a {@link
 * FatalRenderException} (the request itself cannot render, for example settings the model does not
 * support). The worker decides what to do by the type alone.
 */
public abstract sealed class RenderException extends RuntimeException
    permits RetriableRenderException, FatalRenderException {

  protected RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
