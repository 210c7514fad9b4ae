package dev.turbofarm.model.tiny.fake;

/** What the deliberate violations of ArchitectureRulesTest reach for; not checked main code. */
public final class TinyNetwork {}
