package dev.turbofarm.worker.fake;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class WorkerUsingTraining {
  void train(dev.turbofarm.model.tools.fake.Trainer trainer) {}
}
