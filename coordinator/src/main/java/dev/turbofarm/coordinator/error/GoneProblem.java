package dev.turbofarm.coordinator.error;

/** The thing asked for existed and is gone for good (an image retention deleted): 410. */
public class GoneProblem extends ApiProblem {

  public GoneProblem(String detail) {
    super(detail);
  }

  @Override
  public int status() {
    return 410;
  }

  @Override
  public String type() {
    return "gone";
  }

  @Override
  public String title() {
    return "Gone";
  }
}
