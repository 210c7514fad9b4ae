package dev.turbofarm.coordinator.fake.persistence;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class RepositoryUsingService {
  void call(dev.turbofarm.coordinator.fake.service.FakeService service) {}
}
