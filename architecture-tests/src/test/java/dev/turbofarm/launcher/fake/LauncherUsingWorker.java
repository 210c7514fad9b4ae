package dev.turbofarm.launcher.fake;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class LauncherUsingWorker {
  void start(dev.turbofarm.worker.fake.WorkerPart part) {}
}
