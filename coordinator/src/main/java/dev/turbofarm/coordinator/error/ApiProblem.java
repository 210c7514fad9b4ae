package dev.turbofarm.coordinator.error;

import dev.turbofarm.common.job.FieldError;
import java.util.List;
import java.util.Map;

/**
 * A failure the API answers with a 4xx or 503 problem document. Features throw one of the few
 * subclasses here (or their own subclass of one); {@link ProblemMapper} maps only these base types,
 * so it knows no feature. The status says what the caller can do: fix the input (400), look
 * elsewhere (404), stop (409, 413), wait for room (429) or simply retry (503).
 */
public abstract class ApiProblem extends RuntimeException {

  protected ApiProblem(String detail) {
    super(detail);
  }

  protected ApiProblem(String detail, Throwable cause) {
    super(detail, cause);
  }

  /** The HTTP status. */
  public abstract int status();

  /** The problem type's last path segment under {@code https://turbofarm.dev/problems/}. */
  public abstract String type();

  /** Short, the same for every problem of this type. */
  public abstract String title();

  /** What went wrong this time, and what to do: the answer's {@code detail}. */
  public String detail() {
    return getMessage();
  }

  /** For bad input: each offending field and its problem; null otherwise. */
  public List<FieldError> errors() {
    return null;
  }

  /**
   * Headers the answer carries besides the problem (Retry-After, WWW-Authenticate, Content-Range on
   * a 416); often none.
   */
  public Map<String, String> headers() {
    return Map.of();
  }

  /** Extension members of the problem document (RFC 9457, section 3.2), in order; often none. */
  public Map<String, Object> extensions() {
    return Map.of();
  }
}
