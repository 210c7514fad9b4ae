package dev.turbofarm.model.api;

/**
 * A request that can never render as it stands (a size, step count or batch the model does not
 * support): retrying it anywhere gives the same failure.
 */
public non-sealed class FatalRenderException extends RenderException {

  public FatalRenderException(String message, Throwable cause) {
    super(message, cause);
  }

  public FatalRenderException(String message) {
    this(message, null);
  }
}
