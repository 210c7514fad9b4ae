package dev.turbofarm.coordinator.error;

import java.util.Map;

/**
 * The caller's key sent more requests, or opened more streams, than it may: 429 with {@code
 * Retry-After}, nothing done.
 */
public class RateLimitedProblem extends ApiProblem {
  private final long retryAfterS;

  /**
   * @param retryAfterS when a retry can succeed, s (at least 1)
   */
  public RateLimitedProblem(String detail, long retryAfterS) {
    super(detail);
    this.retryAfterS = Math.max(1, retryAfterS);
  }

  @Override
  public int status() {
    return 429;
  }

  @Override
  public String type() {
    return "rate-limited";
  }

  @Override
  public String title() {
    return "Too many requests";
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("Retry-After", Long.toString(retryAfterS));
  }
}
