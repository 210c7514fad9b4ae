package dev.turbofarm.coordinator.fake.rest;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class ResourceUsingRepository {
  void call(dev.turbofarm.coordinator.fake.persistence.FakeRepository repository) {}
}
