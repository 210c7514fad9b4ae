package dev.turbofarm.coordinator.error;

import java.util.Map;

/**
 * No credential, or one that is unknown, revoked or expired: 401 with {@code WWW-Authenticate:
 * Bearer}. The detail never says which of these it was for a key that exists.
 */
public class UnauthorizedProblem extends ApiProblem {

  public UnauthorizedProblem(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 401;
  }

  @Override
  public String type() {
    return "unauthorized";
  }

  @Override
  public String title() {
    return "Unauthorized";
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("WWW-Authenticate", "Bearer");
  }
}
