package dev.turbofarm.worker.fake;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class WorkerUsingCoordinator {
  void call(dev.turbofarm.coordinator.fake.CoordinatorPart part) {}
}
