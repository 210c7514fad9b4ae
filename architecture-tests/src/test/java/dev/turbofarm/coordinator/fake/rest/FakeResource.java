package dev.turbofarm.coordinator.fake.rest;

/** What the deliberate violations of ArchitectureRulesTest reach for; not checked main code. */
public final class FakeResource {}
