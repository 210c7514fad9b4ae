package dev.turbofarm.model.tools;

import ai.djl.ndarray.NDManager;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.model.tiny.AttributeScorer;
import dev.turbofarm.model.tiny.Backdrop;
import dev.turbofarm.model.tiny.BundledPipeline;
import dev.turbofarm.model.tiny.PromptAttributes;
import dev.turbofarm.model.tools.data.ProductPhotoGenerator;
import dev.turbofarm.model.tools.data.Scene;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures prompt following: renders prompts (a share of them naming colour-object pairs held out
 * of training), reads each image with the scorer and prints colour, object and background accuracy,
 * for guidance 1 and for the default guidance. Also checks the scorer itself on ground-truth
 * renders.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Render prompts, score them, print accuracies (held-out pairs separately).")
public final class EvalCommand implements Callable<Integer> {

  @Option(names = "--model", description = "Model folder; default: the bundled classpath weights.")
  Path model;

  @Option(names = "--images", defaultValue = "200", description = "Images per guidance value.")
  int images;

  @Option(
      names = "--held-out-share",
      defaultValue = "0.4",
      description = "Share of prompts naming held-out pairs.")
  double heldOutShare;

  @Option(names = "--width", defaultValue = "512", description = "Width, px.")
  int width;

  @Option(names = "--height", defaultValue = "512", description = "Height, px.")
  int height;

  @Option(names = "--steps", defaultValue = "10", description = "Sampler steps.")
  int steps;

  @Option(
      names = "--guidance",
      defaultValue = "1.0,6.0",
      split = ",",
      description = "Guidance values to compare.")
  List<Double> guidances;

  @Option(names = "--seed", defaultValue = "2024", description = "Seed of prompts and noise.")
  long seed;

  @Option(names = "--batch", defaultValue = "8", description = "Render batch size.")
  int batch;

  /** One prompt of the evaluation with what it asks for. */
  record Case(String prompt, Scene scene, boolean heldOut, long seed) {}

  /** Accuracies of one group of images. */
  record Tally(int n, int color, int object, int backdrop, double quality) {
    Tally add(boolean c, boolean o, boolean b, double q) {
      return new Tally(
          n + 1, color + (c ? 1 : 0), object + (o ? 1 : 0), backdrop + (b ? 1 : 0), quality + q);
    }

    String format() {
      if (n == 0) {
        return "n/a";
      }
      return String.format(
          Locale.ROOT,
          "%3d images  colour %.3f  object %.3f  background %.3f  mean quality %.3f",
          n,
          (double) color / n,
          (double) object / n,
          (double) backdrop / n,
          quality / n);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new EvalCommand()).execute(args));
  }

  /** The evaluation prompts: held-out pairs over every background first, then seen pairs. */
  static List<Case> cases(long seed, int count, double heldOutShare) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Case> out = new ArrayList<>(count);
    int held = (int) Math.round(count * heldOutShare);
    List<ProductPhotoGenerator.Pair> pairs = ProductPhotoGenerator.HELD_OUT;
    for (int i = 0; i < count; i++) {
      Scene scene;
      boolean heldOut = i < held;
      if (heldOut) {
        ProductPhotoGenerator.Pair pair = pairs.get(i % pairs.size());
        Backdrop b = Backdrop.values()[(i / pairs.size()) % Backdrop.values().length];
        scene = Scene.random(r, pair.object(), pair.color(), b);
      } else {
        scene = ProductPhotoGenerator.randomTrainingScene(r);
      }
      out.add(new Case(scene.caption(), scene, heldOut, seed * 7919 + i));
    }
    return out;
  }

  @Override
  public Integer call() {
    try (BundledPipeline p = BundledPipeline.loadOrDefault(model)) {
      System.out.println("model " + p.modelId());
      checkScorer(p);
      List<Case> cases = cases(seed, images, heldOutShare);
      for (double g : guidances) {
        Tally all = new Tally(0, 0, 0, 0, 0);
        Tally held = all;
        Tally seen = all;
        long t0 = System.nanoTime();
        for (int i = 0; i < cases.size(); i += batch) {
          List<Case> chunk = cases.subList(i, Math.min(cases.size(), i + batch));
          List<RenderRequest> reqs = new ArrayList<>();
          for (Case c : chunk) {
            reqs.add(new RenderRequest(c.prompt(), "", width, height, steps, g, c.seed()));
          }
          List<RenderedImage> rendered = p.render(reqs);
          List<BufferedImage> imgs = rendered.stream().map(RenderedImage::image).toList();
          List<AttributeScorer.Reading> readings;
          try (NDManager m = NDManager.newBaseManager()) {
            readings = p.scorer().read(m, imgs);
          }
          for (int k = 0; k < chunk.size(); k++) {
            Case c = chunk.get(k);
            AttributeScorer.Reading rd = readings.get(k);
            boolean col = rd.bestColor() == c.scene().color();
            boolean obj = rd.bestObject() == c.scene().object();
            boolean bg = rd.bestBackdrop() == c.scene().backdrop();
            double q = rendered.get(k).quality() == null ? 0 : rendered.get(k).quality();
            all = all.add(col, obj, bg, q);
            if (c.heldOut()) {
              held = held.add(col, obj, bg, q);
            } else {
              seen = seen.add(col, obj, bg, q);
            }
          }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "guidance %.1f, %dx%d, %d steps (%.0f s)%n  all       %s%n  held-out  %s%n  seen      %s%n",
            g,
            width,
            height,
            steps,
            secs,
            all.format(),
            held.format(),
            seen.format());
      }
    }
    return 0;
  }

  /** Scorer accuracy on ground-truth renders of the generator (held-out pairs included). */
  private void checkScorer(BundledPipeline p) {
    List<Case> cases = cases(seed + 1, images, heldOutShare);
    Tally t = new Tally(0, 0, 0, 0, 0);
    for (int i = 0; i < cases.size(); i += 32) {
      List<Case> chunk = cases.subList(i, Math.min(cases.size(), i + 32));
      List<BufferedImage> imgs = new ArrayList<>();
      for (Case c : chunk) {
        imgs.add(ProductPhotoGenerator.render(c.scene(), width, height));
      }
      List<AttributeScorer.Reading> readings;
      try (NDManager m = NDManager.newBaseManager()) {
        readings = p.scorer().read(m, imgs);
      }
      for (int k = 0; k < chunk.size(); k++) {
        Scene s = chunk.get(k).scene();
        AttributeScorer.Reading rd = readings.get(k);
        t =
            t.add(
                rd.bestColor() == s.color(),
                rd.bestObject() == s.object(),
                rd.bestBackdrop() == s.backdrop(),
                rd.match(PromptAttributes.parse(s.caption())));
      }
    }
    System.out.println("scorer on ground-truth renders: " + t.format());
  }
}
