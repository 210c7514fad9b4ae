package dev.turbofarm.model.tools;

import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.tiny.BundledPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Images per second of the bundled model at batch 1, 4 and 8 for the draft and concept-square
 * profiles: one warm-up render per setting, then repeats; prints min and median. The batch with the
 * best median throughput (the smaller one when within 5 %) is the recommended max batch.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure images/s at batch 1, 4, 8 for draft and concept-square on this CPU.")
public final class BenchCommand implements Callable<Integer> {

  /** A benchmarked profile: size and steps as the farm's profiles define them. */
  record Profile(String name, int width, int height, int steps) {}

  static final List<Profile> PROFILES =
      List.of(new Profile("draft", 512, 512, 10), new Profile("concept-square", 768, 768, 30));

  @Option(names = "--model", description = "Model folder; default: the bundled classpath weights.")
  Path model;

  @Option(names = "--batches", defaultValue = "1,4,8", split = ",", description = "Batch sizes.")
  List<Integer> batches;

  @Option(names = "--repeats", defaultValue = "3", description = "Timed renders per setting.")
  int repeats;

  @Option(
      names = "--guidance",
      defaultValue = "6.0",
      description = "Guidance (> 1 doubles the denoiser rows).")
  double guidance;

  @Option(names = "--markdown", description = "Write the result section to this Markdown file.")
  Path markdown;

  @Option(
      names = "--manifest",
      description = "Record the recommended max batch (batch.max) in this model manifest.")
  Path manifest;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    StringBuilder md = new StringBuilder();
    int recommended = 1;
    try (BundledPipeline p = BundledPipeline.loadOrDefault(model)) {
      String threads = System.getProperty("ai.djl.pytorch.num_threads", "default");
      String head =
          String.format(
              Locale.ROOT,
              "model %s, guidance %.1f, %d CPU cores, torch threads %s, %d timed runs per row",
              p.modelId(),
              guidance,
              Runtime.getRuntime().availableProcessors(),
              threads,
              repeats);
      System.out.println(head);
      md.append(head).append("\n\n");
      md.append(
          "| profile | size | steps | batch | images/s min | images/s median | s per batch median |\n");
      md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
      double[] bestPerBatch = new double[batches.size()];
      for (Profile prof : PROFILES) {
        for (int bi = 0; bi < batches.size(); bi++) {
          int b = batches.get(bi);
          List<RenderRequest> reqs = new ArrayList<>();
          for (int i = 0; i < b; i++) {
            reqs.add(
                new RenderRequest(
                    "a blue sneaker on a wooden table",
                    "",
                    prof.width(),
                    prof.height(),
                    prof.steps(),
                    guidance,
                    9000 + i));
          }
          p.render(reqs);
          double[] rate = new double[repeats];
          double[] secs = new double[repeats];
          for (int k = 0; k < repeats; k++) {
            long t0 = System.nanoTime();
            p.render(reqs);
            secs[k] = (System.nanoTime() - t0) / 1e9;
            rate[k] = b / secs[k];
          }
          Arrays.sort(rate);
          Arrays.sort(secs);
          double median = rate[repeats / 2];
          String line =
              String.format(
                  Locale.ROOT,
                  "| %s | %dx%d | %d | %d | %.2f | %.2f | %.2f |",
                  prof.name(),
                  prof.width(),
                  prof.height(),
                  prof.steps(),
                  b,
                  rate[0],
                  median,
                  secs[repeats / 2]);
          System.out.println(line);
          md.append(line).append('\n');
          // the recommendation follows the profile farms run most: draft
          if (prof == PROFILES.get(0)) {
            bestPerBatch[bi] = median;
          }
        }
      }
      double best = Arrays.stream(bestPerBatch).max().orElse(0);
      for (int bi = 0; bi < batches.size(); bi++) {
        if (bestPerBatch[bi] >= 0.95 * best) {
          recommended = batches.get(bi);
          break;
        }
      }
      String rec =
          String.format(
              Locale.ROOT,
              "recommended max batch %d (smallest batch within 5 %% of the best draft images/s)",
              recommended);
      System.out.println(rec);
      md.append('\n').append(rec).append('\n');
    }
    if (markdown != null) {
      writeSection(markdown, md.toString());
    }
    if (manifest != null) {
      Properties props = new Properties();
      try (InputStream in = Files.newInputStream(manifest)) {
        props.load(in);
      }
      props.setProperty("batch.max", Integer.toString(recommended));
      try (OutputStream os = Files.newOutputStream(manifest)) {
        props.store(os, "turbofarm-tiny, written by TrainCommand; batch.max by BenchCommand");
      }
    }
    return 0;
  }

  /** Replaces this command's section of a shared benchmarks file, keeping the others. */
  static void writeSection(Path file, String body) throws IOException {
    String heading = "## Bundled model: turbofarm-tiny on CPU";
    String text =
        Files.exists(file)
            ? Files.readString(file, StandardCharsets.UTF_8)
            : "# TurboFarm benchmarks\n\nEach section is written by its own benchmark command.\n";
    String section =
        heading
            + "\n\nWritten by `BenchCommand` (`model-tools/model.sh bench --markdown docs/benchmarks.md`)."
            + " Timings on shared 2-core VMs swing by up to 2x: compare rows of one run.\n\n"
            + body;
    int start = text.indexOf(heading);
    if (start < 0) {
      text = text.stripTrailing() + "\n\n" + section;
    } else {
      int next = text.indexOf("\n## ", start + heading.length());
      text = text.substring(0, start) + section + (next < 0 ? "" : "\n" + text.substring(next + 1));
    }
    Files.writeString(file, text.stripTrailing() + "\n", StandardCharsets.UTF_8);
  }
}
