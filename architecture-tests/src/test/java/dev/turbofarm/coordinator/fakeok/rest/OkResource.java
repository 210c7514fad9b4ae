package dev.turbofarm.coordinator.fakeok.rest;

import dev.turbofarm.coordinator.fakeok.service.OkService;

/** Arrows as they should be, for ArchitectureRulesTest: rest calls service. */
public final class OkResource {
  void call(OkService service) {}
}
