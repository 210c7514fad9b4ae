package dev.turbofarm.coordinator.fake.persistence;

/** What the deliberate violations of ArchitectureRulesTest reach for; not checked main code. */
public final class FakeRepository {}
