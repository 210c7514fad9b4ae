package dev.turbofarm.coordinator.fake.service;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class ServiceUsingRest {
  Object answer() {
    return new dev.turbofarm.coordinator.fake.rest.FakeResource();
  }
}
