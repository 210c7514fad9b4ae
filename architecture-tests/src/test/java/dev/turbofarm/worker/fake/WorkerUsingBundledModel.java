package dev.turbofarm.worker.fake;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class WorkerUsingBundledModel {
  void render(dev.turbofarm.model.tiny.fake.TinyNetwork network) {}
}
