package dev.turbofarm.coordinator.error;

/** The request does not fit the current state of what it names: 409. */
public class ConflictProblem extends ApiProblem {

  public ConflictProblem(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String type() {
    return "conflict";
  }

  @Override
  public String title() {
    return "Conflict";
  }
}
