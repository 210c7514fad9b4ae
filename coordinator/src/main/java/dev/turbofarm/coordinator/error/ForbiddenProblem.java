package dev.turbofarm.coordinator.error;

/**
 * The caller is known but its role may not do this, or it named a team that is not its own: 403.
 * Another team's object is never a 403 but a {@link NotFoundProblem}: a 403 would confirm it
 * exists.
 */
public class ForbiddenProblem extends ApiProblem {

  public ForbiddenProblem(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 403;
  }

  @Override
  public String type() {
    return "forbidden";
  }

  @Override
  public String title() {
    return "Forbidden";
  }
}
