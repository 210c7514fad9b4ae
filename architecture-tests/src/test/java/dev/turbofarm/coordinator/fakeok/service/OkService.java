package dev.turbofarm.coordinator.fakeok.service;

import dev.turbofarm.coordinator.fakeok.persistence.OkRepository;

/** Arrows as they should be, for ArchitectureRulesTest: service calls persistence. */
public final class OkService {
  void call(OkRepository repository) {}
}
