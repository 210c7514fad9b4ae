package dev.turbofarm.model.api.fake;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class ApiUsingBundledModel {
  void load(dev.turbofarm.model.tiny.fake.TinyNetwork network) {}
}
