package dev.turbofarm.worker.fake;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class WorkerUsingFixture {
  void render(dev.turbofarm.testfixtures.fake.ChaosFixture fixture) {}
}
