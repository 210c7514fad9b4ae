package dev.turbofarm.coordinator.error;

/** The caller is over a quota: 429, nothing stored; the detail names the quota. */
public class QuotaExceededProblem extends ApiProblem {

  public QuotaExceededProblem(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 429;
  }

  @Override
  public String type() {
    return "quota-exceeded";
  }

  @Override
  public String title() {
    return "Queue quota exceeded";
  }
}
