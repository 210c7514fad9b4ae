package dev.turbofarm.model.tools;

import ai.djl.ndarray.NDManager;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.model.tiny.AttributeScorer;
import dev.turbofarm.model.tiny.Backdrop;
import dev.turbofarm.model.tiny.BundledPipeline;
import dev.turbofarm.model.tiny.Images;
import dev.turbofarm.model.tiny.ObjectKind;
import dev.turbofarm.model.tiny.PromptAttributes;
import dev.turbofarm.model.tools.data.CaptionLanguage;
import dev.turbofarm.model.tools.data.ProductPhotoGenerator;
import dev.turbofarm.model.tools.data.Scene;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures prompt following: renders prompts (a share of them naming colour-object pairs held out
 * of training) in English, Chinese and mixed wording, at each size and guidance asked for, reads
 * each image with the scorer and prints colour, object and background accuracy per language. The
 * three languages describe the same scenes with the same seeds, and a hit compares the scorer's
 * reading of the image with the scene, so the figures compare the languages directly. Also checks
 * the scorer itself on ground-truth renders, and counts the products in each picture (a wide render
 * that draws the product twice still reads as the product in its central square).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Render prompts in English, Chinese and mixed wording, score them, print accuracies per"
            + " size, guidance and language (held-out pairs separately).")
public final class EvalCommand implements Callable<Integer> {

  @Option(names = "--model", description = "Model folder; default: the bundled classpath weights.")
  Path model;

  @Option(names = "--images", defaultValue = "200", description = "Images per language and run.")
  int images;

  @Option(
      names = "--held-out-share",
      defaultValue = "0.4",
      description = "Share of prompts naming held-out pairs.")
  double heldOutShare;

  @Option(
      names = "--sizes",
      defaultValue = "512x512,1024x576",
      split = ",",
      description = "Render sizes, WIDTHxHEIGHT.")
  List<String> sizes;

  @Option(
      names = "--languages",
      defaultValue = "ENGLISH,CHINESE,MIXED",
      split = ",",
      description = "Prompt languages: ${COMPLETION-CANDIDATES}.")
  List<CaptionLanguage> languages;

  @Option(names = "--steps", defaultValue = "10", description = "Sampler steps.")
  int steps;

  @Option(
      names = "--guidance",
      defaultValue = "6.0",
      split = ",",
      description =
          "Guidance values, e.g. 1.0,6.0 to compare; default the profiles' 6.0 (each value costs"
              + " 6 x 200 renders).")
  List<Double> guidances;

  @Option(names = "--seed", defaultValue = "2024", description = "Seed of prompts and noise.")
  long seed;

  @Option(names = "--batch", defaultValue = "8", description = "Render batch size.")
  int batch;

  /** One scene of the evaluation with what it asks for. */
  record Case(Scene scene, boolean heldOut, long seed) {}

  /** Accuracies of one group of images; products counted on plain backgrounds only. */
  record Tally(int n, int color, int object, int backdrop, double quality, int plain, int single) {
    static final Tally EMPTY = new Tally(0, 0, 0, 0, 0, 0, 0);

    Tally add(boolean c, boolean o, boolean b, double q, int products) {
      return new Tally(
          n + 1,
          color + (c ? 1 : 0),
          object + (o ? 1 : 0),
          backdrop + (b ? 1 : 0),
          quality + q,
          plain + (products >= 0 ? 1 : 0),
          single + (products == 1 ? 1 : 0));
    }

    double colorRate() {
      return (double) color / n;
    }

    double objectRate() {
      return (double) object / n;
    }

    String singleRate() {
      return plain == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", (double) single / plain);
    }

    String format() {
      if (n == 0) {
        return "n/a";
      }
      return String.format(
          Locale.ROOT,
          "%3d images  colour %.3f  object %.3f  background %.3f  mean quality %.3f"
              + "  one product %s",
          n,
          colorRate(),
          objectRate(),
          (double) backdrop / n,
          quality / n,
          singleRate());
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new EvalCommand()).execute(args));
  }

  /** The evaluation scenes: held-out pairs over every background first, then seen pairs. */
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
      out.add(new Case(scene, heldOut, seed * 7919 + i));
    }
    return out;
  }

  @Override
  public Integer call() {
    List<String> summary = new ArrayList<>();
    summary.add(
        "| size | guidance | prompts | colour | object | object held-out / seen | background"
            + " | mean quality | one product |");
    summary.add("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    try (BundledPipeline p = BundledPipeline.loadOrDefault(model)) {
      System.out.println("model " + p.modelId());
      List<Case> cases = cases(seed, images, heldOutShare);
      for (String size : sizes) {
        int[] wh = parseSize(size);
        checkScorer(p, wh[0], wh[1]);
        for (double g : guidances) {
          System.out.printf(
              Locale.ROOT, "guidance %.1f, %dx%d, %d steps%n", g, wh[0], wh[1], steps);
          for (CaptionLanguage language : languages) {
            long t0 = System.nanoTime();
            Map<ProductPhotoGenerator.Pair, int[]> readAs = new LinkedHashMap<>();
            Tally[] t = run(p, cases, language, wh[0], wh[1], g, readAs);
            double secs = (System.nanoTime() - t0) / 1e9;
            String name = language.name().toLowerCase(Locale.ROOT);
            System.out.printf(
                Locale.ROOT,
                "  %-8s all       %s  (%.0f s)%n  %-8s held-out  %s%n  %-8s seen      %s%n",
                name,
                t[0].format(),
                secs,
                name,
                t[1].format(),
                name,
                t[2].format());
            System.out.printf(
                Locale.ROOT, "  %-8s held-out pairs read as: %s%n", name, readAs(readAs));
            summary.add(
                String.format(
                    Locale.ROOT,
                    "| %dx%d | %.1f | %s | %.3f | %.3f | %.3f / %.3f | %.3f | %.3f | %s |",
                    wh[0],
                    wh[1],
                    g,
                    name,
                    t[0].colorRate(),
                    t[0].objectRate(),
                    t[1].n() == 0 ? 0 : t[1].objectRate(),
                    t[2].n() == 0 ? 0 : t[2].objectRate(),
                    (double) t[0].backdrop() / t[0].n(),
                    t[0].quality() / t[0].n(),
                    t[0].singleRate()));
          }
        }
      }
    }
    System.out.println();
    summary.forEach(System.out::println);
    return 0;
  }

  /** Tallies all, held-out and seen of one language at one size and guidance. */
  private Tally[] run(
      BundledPipeline p,
      List<Case> cases,
      CaptionLanguage language,
      int width,
      int height,
      double g,
      Map<ProductPhotoGenerator.Pair, int[]> readAs) {
    Tally all = Tally.EMPTY;
    Tally held = Tally.EMPTY;
    Tally seen = Tally.EMPTY;
    for (int i = 0; i < cases.size(); i += batch) {
      List<Case> chunk = cases.subList(i, Math.min(cases.size(), i + batch));
      List<RenderRequest> reqs = new ArrayList<>();
      for (Case c : chunk) {
        reqs.add(
            new RenderRequest(c.scene().caption(language), "", width, height, steps, g, c.seed()));
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
        // the image against the scene: the prompt's wording plays no part in the judgement
        boolean col = rd.bestColor() == c.scene().color();
        boolean obj = rd.bestObject() == c.scene().object();
        boolean bg = rd.bestBackdrop() == c.scene().backdrop();
        double q = rendered.get(k).quality() == null ? 0 : rendered.get(k).quality();
        int products = productCount(imgs.get(k), c.scene().backdrop());
        all = all.add(col, obj, bg, q, products);
        if (c.heldOut()) {
          held = held.add(col, obj, bg, q, products);
          countReading(readAs, c.scene(), rd);
        } else {
          seen = seen.add(col, obj, bg, q, products);
        }
      }
    }
    return new Tally[] {all, held, seen};
  }

  /** Counts the object the scorer read in a picture of the scene's colour-object pair. */
  private static void countReading(
      Map<ProductPhotoGenerator.Pair, int[]> readAs, Scene scene, AttributeScorer.Reading rd) {
    readAs
        .computeIfAbsent(
            new ProductPhotoGenerator.Pair(scene.color(), scene.object()),
            unused -> new int[ObjectKind.values().length])[rd.bestObject().ordinal()]++;
  }

  /**
   * Each held-out pair with the objects the scorer read in its images, most often first, e.g.
   * {@code red lamp: lamp 6, mug 2}: which object a pair the model never saw is drawn as.
   */
  static String readAs(Map<ProductPhotoGenerator.Pair, int[]> readAs) {
    List<String> parts = new ArrayList<>();
    readAs.forEach(
        (pair, counts) -> {
          List<String> kinds = new ArrayList<>();
          Integer[] order = new Integer[counts.length];
          for (int i = 0; i < order.length; i++) {
            order[i] = i;
          }
          Arrays.sort(order, (a, b) -> counts[b] - counts[a]);
          for (int i : order) {
            if (counts[i] > 0) {
              kinds.add(label(ObjectKind.values()[i]) + " " + counts[i]);
            }
          }
          parts.add(
              label(pair.color()) + " " + label(pair.object()) + ": " + String.join(", ", kinds));
        });
    return String.join("; ", parts);
  }

  private static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Scorer accuracy on ground-truth renders of the generator (held-out pairs included). */
  private void checkScorer(BundledPipeline p, int width, int height) {
    List<Case> cases = cases(seed + 1, images, heldOutShare);
    Tally t = Tally.EMPTY;
    Map<ProductPhotoGenerator.Pair, int[]> readAs = new LinkedHashMap<>();
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
        if (chunk.get(k).heldOut()) {
          countReading(readAs, s, rd);
        }
        t =
            t.add(
                rd.bestColor() == s.color(),
                rd.bestObject() == s.object(),
                rd.bestBackdrop() == s.backdrop(),
                rd.match(PromptAttributes.parse(s.caption())),
                productCount(imgs.get(k), s.backdrop()));
      }
    }
    System.out.printf(
        Locale.ROOT, "%dx%d scorer on ground-truth renders: %s%n", width, height, t.format());
    System.out.printf(Locale.ROOT, "  held-out pairs read as: %s%n", readAs(readAs));
  }

  static int[] parseSize(String size) {
    String[] parts = size.toLowerCase(Locale.ROOT).split("x");
    if (parts.length != 2) {
      throw new IllegalArgumentException("size must be WIDTHxHEIGHT, got " + size);
    }
    return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
  }

  /**
   * How many separate products a wide picture shows side by side, or -1 where this cannot be told:
   * outdoors (trees on the horizon) and in pictures less than 1.5 times as wide as high (the
   * product may fill more than half of a row, and the row's median is then the product's colour; on
   * 512x512 ground-truth renders the count was 1 for only 128 of 153 pictures). The background
   * varies only from top to bottom in every other backdrop, so a pixel is foreground where it
   * differs from its row's median by more than 40 levels in a channel; columns with foreground in
   * at least 4 % of their rows are occupied; each run of occupied columns at least 3 % of the width
   * wide, apart from the next by at least 2 % of the width, is one product (its shadow lies below
   * it, in the same columns).
   */
  static int productCount(BufferedImage img, Backdrop backdrop) {
    if (backdrop == Backdrop.OUTDOOR || img.getWidth() < 1.5 * img.getHeight()) {
      return -1;
    }
    int w = 128;
    int h = Math.max(8, Math.round(128f * img.getHeight() / img.getWidth()));
    BufferedImage small = Images.areaResize(img, w, h);
    int[] px = small.getRGB(0, 0, w, h, null, 0, w);
    int[] occupied = new int[w];
    int[] channel = new int[w];
    for (int y = 0; y < h; y++) {
      int[] median = new int[3];
      for (int c = 0; c < 3; c++) {
        for (int x = 0; x < w; x++) {
          channel[x] = (px[y * w + x] >> (16 - 8 * c)) & 0xFF;
        }
        int[] sorted = channel.clone();
        Arrays.sort(sorted);
        median[c] = sorted[w / 2];
      }
      for (int x = 0; x < w; x++) {
        int p = px[y * w + x];
        for (int c = 0; c < 3; c++) {
          if (Math.abs(((p >> (16 - 8 * c)) & 0xFF) - median[c]) > 40) {
            occupied[x]++;
            break;
          }
        }
      }
    }
    int minRows = Math.max(1, Math.round(0.04f * h));
    int minRun = Math.max(1, Math.round(0.03f * w));
    int minGap = Math.max(1, Math.round(0.02f * w));
    // runs of occupied columns, a gap narrower than minGap joining two runs into one
    List<int[]> runs = new ArrayList<>();
    for (int x = 0; x < w; x++) {
      if (occupied[x] < minRows) {
        continue;
      }
      int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && x - last[1] <= minGap) {
        last[1] = x;
      } else {
        runs.add(new int[] {x, x});
      }
    }
    int products = 0;
    for (int[] r : runs) {
      if (r[1] - r[0] + 1 >= minRun) {
        products++;
      }
    }
    return products;
  }
}
