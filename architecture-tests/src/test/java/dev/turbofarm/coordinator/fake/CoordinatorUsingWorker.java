package dev.turbofarm.coordinator.fake;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class CoordinatorUsingWorker {
  void call(dev.turbofarm.worker.fake.WorkerPart part) {}
}
