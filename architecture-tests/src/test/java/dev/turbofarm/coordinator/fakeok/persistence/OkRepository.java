package dev.turbofarm.coordinator.fakeok.persistence;

/** Arrows as they should be, for ArchitectureRulesTest: persistence calls nothing above it. */
public final class OkRepository {}
