package dev.turbofarm.coordinator.error;

/** The thing asked for does not exist: 404. */
public class NotFoundProblem extends ApiProblem {

  public NotFoundProblem(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 404;
  }

  @Override
  public String type() {
    return "not-found";
  }

  @Override
  public String title() {
    return "Not found";
  }
}
