package dev.turbofarm.model.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.turbofarm.model.tiny.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay off, bias correction on, updating weights in place. Every
 * temporary is attached to a per-step manager so memory stays flat over thousands of steps.
 */
final class Adam implements AutoCloseable {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPS = 1e-8f;

  private final NDManager manager;
  private final List<NDArray> weights;
  private final List<NDArray> m = new ArrayList<>();
  private final List<NDArray> v = new ArrayList<>();
  private final List<NDArray> ema = new ArrayList<>();
  private final float emaDecay;
  private int step;

  /**
   * @param emaDecay per-step decay of the weights' exponential moving average, 0 for none
   */
  Adam(NDManager parent, List<NDArray> weights, float emaDecay) {
    this.manager = parent.newSubManager();
    this.weights = weights;
    this.emaDecay = emaDecay;
    for (NDArray w : weights) {
      m.add(manager.zeros(w.getShape()));
      v.add(manager.zeros(w.getShape()));
      if (emaDecay > 0) {
        NDArray copy = manager.zeros(w.getShape());
        copy.addi(w);
        ema.add(copy);
      }
      w.setRequiresGradient(true);
    }
  }

  /** Applies one update with learning rate {@code lr}, then clears the gradients. */
  void step(float lr) {
    step++;
    float bc1 = 1f - (float) Math.pow(BETA1, step);
    float bc2 = 1f - (float) Math.pow(BETA2, step);
    try (NDManager tmp = manager.newSubManager()) {
      for (int i = 0; i < weights.size(); i++) {
        NDArray w = weights.get(i);
        NDArray g = w.getGradient();
        g.attach(tmp);
        m.get(i).muli(BETA1).addi(attach(tmp, g.mul(1f - BETA1)));
        v.get(i).muli(BETA2).addi(attach(tmp, g.square()).muli(1f - BETA2));
        NDArray denom = attach(tmp, attach(tmp, v.get(i).div(bc2)).sqrt()).addi(EPS);
        NDArray update = attach(tmp, m.get(i).div(bc1)).divi(denom).muli(lr);
        w.subi(update);
        g.subi(attach(tmp, g.duplicate()));
        if (emaDecay > 0) {
          NDArray e = ema.get(i);
          e.muli(emaDecay).addi(attach(tmp, w.mul(1f - emaDecay)));
        }
      }
    }
  }

  private static NDArray attach(NDManager tmp, NDArray a) {
    a.attach(tmp);
    return a;
  }

  /** Copies the moving averages into the weights (call once, after training). */
  void swapInAverage() {
    if (emaDecay <= 0) {
      return;
    }
    for (int i = 0; i < weights.size(); i++) {
      NDArray w = weights.get(i);
      try (NDManager tmp = manager.newSubManager()) {
        w.subi(attach(tmp, w.duplicate())).addi(ema.get(i));
      }
    }
  }

  @Override
  public void close() {
    for (NDArray w : weights) {
      w.setRequiresGradient(false);
    }
    manager.close();
  }

  /** The weights whose names start with one of {@code prefixes}, in declaration order. */
  static List<NDArray> weights(Params p, String... prefixes) {
    List<NDArray> out = new ArrayList<>();
    p.named()
        .forEach(
            (name, a) -> {
              for (String prefix : prefixes) {
                if (name.startsWith(prefix)) {
                  out.add(a);
                }
              }
            });
    return out;
  }
}
