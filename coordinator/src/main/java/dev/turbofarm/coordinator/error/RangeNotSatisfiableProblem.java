package dev.turbofarm.coordinator.error;

import java.util.Map;

/** A {@code Range} that starts past the end of the representation: 416, with its length. */
public class RangeNotSatisfiableProblem extends ApiProblem {
  private final long length;

  public RangeNotSatisfiableProblem(String detail, long length) {
    super(detail);
    this.length = length;
  }

  @Override
  public int status() {
    return 416;
  }

  @Override
  public String type() {
    return "range-not-satisfiable";
  }

  @Override
  public String title() {
    return "Range not satisfiable";
  }

  @Override
  public Map<String, Object> extensions() {
    return Map.of("length", length);
  }

  /** RFC 9110, 14.4: the complete length, so the client can ask again. */
  @Override
  public Map<String, String> headers() {
    return Map.of("Content-Range", "bytes */" + length);
  }
}
