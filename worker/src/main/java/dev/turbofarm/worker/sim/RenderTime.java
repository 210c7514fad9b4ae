package dev.turbofarm.worker.sim;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * SIMULATION ONLY: how long a simulated batch "renders", for capacity tests of the farm with many
 * virtual workers. Parsed from {@code --render-ms}:
 *
 * <ul>
 *   <li>{@code 20}: every batch takes 20 ms;
 *   <li>{@code 20:lognormal:0.5}: lognormal with a median of 20 ms and a sigma of 0.5 (a long right
 *       tail, as real GPU batches have: a slow driver call, a throttled card);
 *   <li>{@code cost:95[:30]}: the cost model of DESIGN.md, {@code base + msPerMegapixelStep x
 *       megapixels x steps x images}; 95 ms per megapixel-step makes a 1024x1024, 8-step image take
 *       about 0.8 s, the order Z-Image-Turbo reports on one datacentre GPU; {@code base} (default
 *       0) is a fixed cost per batch, which is what makes batching pay.
 * </ul>
 */
public sealed interface RenderTime {

  /** Milliseconds one batch of {@code images} images of this size takes. */
  long batchMs(int width, int height, int steps, int images, SplittableRandom random);

  /** The spec as given, for logs and heartbeats. */
  String describe();

  /** Parses a {@code --render-ms} value; throws naming the spec and the accepted forms. */
  static RenderTime parse(String spec) {
    String[] p = spec.trim().toLowerCase(Locale.ROOT).split(":");
    try {
      if (p[0].equals("cost") && (p.length == 2 || p.length == 3)) {
        return new Cost(
            Double.parseDouble(p[1]), p.length == 3 ? Double.parseDouble(p[2]) : 0, spec);
      }
      double ms = Double.parseDouble(p[0]);
      if (p.length == 1) {
        return new Fixed(ms, spec);
      }
      if (p.length == 3 && p[1].equals("lognormal")) {
        return new LogNormal(ms, Double.parseDouble(p[2]), spec);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(bad(spec) + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(bad(spec));
  }

  private static String bad(String spec) {
    return "--render-ms '"
        + spec
        + "' is not a render time: use MS (fixed), MEDIAN_MS:lognormal:SIGMA or"
        + " cost:MS_PER_MEGAPIXEL_STEP[:BASE_MS]";
  }

  /** The same time for every batch. */
  record Fixed(double ms, String describe) implements RenderTime {
    public Fixed {
      if (ms < 0) {
        throw new IllegalArgumentException("a render time is at least 0 ms, got " + ms);
      }
    }

    @Override
    public long batchMs(int width, int height, int steps, int images, SplittableRandom random) {
      return Math.round(ms);
    }
  }

  /** Lognormal around a median: {@code median x exp(sigma x N(0,1))}. */
  record LogNormal(double median, double sigma, String describe) implements RenderTime {
    public LogNormal {
      if (median <= 0 || sigma < 0) {
        throw new IllegalArgumentException(
            "lognormal needs a median above 0 ms and a sigma of at least 0");
      }
    }

    @Override
    public long batchMs(int width, int height, int steps, int images, SplittableRandom random) {
      // Box-Muller: one standard normal from two uniforms.
      double u1 = 1.0 - random.nextDouble();
      double u2 = random.nextDouble();
      double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      return Math.round(median * Math.exp(sigma * z));
    }
  }

  /** Time grows with pixels x steps x images, plus a fixed cost per batch. */
  record Cost(double msPerMegapixelStep, double baseMs, String describe) implements RenderTime {
    public Cost {
      if (msPerMegapixelStep < 0 || baseMs < 0) {
        throw new IllegalArgumentException("cost model figures are at least 0");
      }
    }

    @Override
    public long batchMs(int width, int height, int steps, int images, SplittableRandom random) {
      double megapixels = (double) width * height / 1_000_000;
      return Math.round(baseMs + msPerMegapixelStep * megapixels * steps * images);
    }
  }
}
