package dev.turbofarm.coordinator.fake.persistence;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class RepositoryUsingRest {
  void call(dev.turbofarm.coordinator.fake.rest.FakeResource resource) {}
}
