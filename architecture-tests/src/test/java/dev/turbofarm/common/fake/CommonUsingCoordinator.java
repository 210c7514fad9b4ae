package dev.turbofarm.common.fake;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class CommonUsingCoordinator {
  void call(dev.turbofarm.coordinator.fake.CoordinatorPart part) {}
}
