package dev.turbofarm.coordinator.error;

/** The request is larger than one request may be: 413; the detail says how to split it. */
public class TooLargeProblem extends ApiProblem {

  public TooLargeProblem(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 413;
  }

  @Override
  public String type() {
    return "too-large";
  }

  @Override
  public String title() {
    return "Request too large";
  }
}
