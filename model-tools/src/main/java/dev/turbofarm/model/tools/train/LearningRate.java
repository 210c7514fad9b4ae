package dev.turbofarm.model.tools.train;

/** The learning-rate schedule of every training stage. */
final class LearningRate {
  private LearningRate() {}

  /** Linear warm-up over the first 5 % of steps, then cosine decay to a tenth. */
  static float warmupCosine(int step, int total, float peak) {
    int warm = Math.max(1, total / 20);
    if (step < warm) {
      return peak * (step + 1) / warm;
    }
    double progress = (double) (step - warm) / Math.max(1, total - warm);
    return (float) (peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress))));
  }
}
