package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * First job after start against later jobs: starts the farm, sends same-size draft jobs one after
 * another, and compares each worker's first render with the median of that worker's later renders.
 * Per worker, because workers on a shared machine differ in speed (one may share its core with
 * another process): a fast worker's later jobs must not make a slow worker's first job look cold.
 * Repeated over fresh farms, since one first job is one sample.
 */
public final class FirstJobBench {
  /** The target: a first job no worse than 1.1 times later jobs of the same size. */
  public static final double TARGET = 1.10;

  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(300);

  /**
   * Poll interval while a job renders. Render times are the worker's own figures, so polling only
   * paces the loop; every poll costs the coordinator an HTTP request and two queries on the same
   * cores the render runs on.
   */
  private static final Duration POLL = Duration.ofMillis(100);

  private FirstJobBench() {}

  /** One job's render, in the order the jobs were sent. */
  public record Render(String worker, long ms) {}

  /**
   * Per worker that rendered at least two jobs: its first render divided by the median of its later
   * renders. Workers with a single job are left out.
   */
  public static Map<String, Double> ratios(List<Render> renders) {
    Map<String, List<Long>> byWorker = new LinkedHashMap<>();
    for (Render r : renders) {
      byWorker.computeIfAbsent(r.worker(), k -> new ArrayList<>()).add(r.ms());
    }
    Map<String, Double> out = new LinkedHashMap<>();
    byWorker.forEach(
        (w, ms) -> {
          if (ms.size() >= 2) {
            List<Long> later = new ArrayList<>(ms.subList(1, ms.size()));
            later.sort(Long::compare);
            double median =
                later.size() % 2 == 1
                    ? later.get(later.size() / 2)
                    : (later.get(later.size() / 2 - 1) + later.get(later.size() / 2)) / 2.0;
            out.put(w, ms.get(0) / Math.max(1.0, median));
          }
        });
    return out;
  }

  /** Sends {@code jobs} draft jobs one after another; returns who rendered each and how long. */
  public static List<Render> renders(FarmClient client, int jobs, String team) {
    List<Render> out = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      JsonNode done =
          client.runToSuccess(
              FarmClient.draftJob(
                  "a blue sneaker on a white background, studio photo", team, 100L + i),
              JOB_TIMEOUT,
              POLL,
              "first-job bench");
      JsonNode img = done.path("images").path(0);
      out.add(new Render(img.path("workerId").asText(), img.path("renderMs").asLong()));
    }
    return out;
  }

  /** {@code farm bench first-job}. */
  @picocli.CommandLine.Command(
      name = "first-job",
      mixinStandardHelpOptions = true,
      description =
          "Start the farm --runs times; each time, each worker's first draft render against its later ones "
              + "(target <= "
              + TARGET
              + "x); appends to docs/benchmarks.md.")
  static final class Command implements Callable<Integer> {
    @Mixin FarmCli.FarmArgs args;

    @Option(
        names = "--runs",
        defaultValue = "3",
        description = "fresh farms to start (default ${DEFAULT-VALUE})")
    int runs;

    @Option(
        names = "--jobs",
        defaultValue = "16",
        description = "draft jobs per farm, one after another (default ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--no-append", description = "do not append to docs/benchmarks.md")
    boolean noAppend;

    @Override
    public Integer call() throws IOException {
      PrintStream out = System.out;
      StringBuilder md = new StringBuilder();
      md.append("\n### Run ").append(Instant.now()).append("\n\n");
      md.append("Command: `./farm bench first-job --workers ")
          .append(args.options().workers())
          .append(" --runs ")
          .append(runs)
          .append(" --jobs ")
          .append(jobs)
          .append("`  \n");
      md.append("Machine: ")
          .append(Runtime.getRuntime().availableProcessors())
          .append(" cores, bundled model, draft 512x512\n\n");
      md.append(
          "| farm | worker | first render ms | later renders ms, in order | first / median of later |\n|---|---|---|---|---|\n");
      List<Double> all = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        FarmOptions o = args.options().withPipeline("bundled");
        if (args.dataDir == null) {
          o = o.withDataDir(FarmCli.home().resolve("farm-data/bench-first-job-" + run));
        }
        List<Render> renders;
        try (Farm farm = Farm.start(o)) {
          renders = renders(farm.client(), jobs, "bench-first-job");
        }
        Map<String, Double> ratios = ratios(renders);
        for (Map.Entry<String, Double> e : ratios.entrySet()) {
          List<Long> ms =
              renders.stream().filter(r -> r.worker().equals(e.getKey())).map(Render::ms).toList();
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %d | %s | %d | %s | %.2fx |%n",
                  run,
                  e.getKey(),
                  ms.get(0),
                  ms.subList(1, ms.size()),
                  e.getValue()));
          all.add(e.getValue());
        }
        out.printf(Locale.ROOT, "farm %d: first / later median per worker %s%n", run, ratios);
      }
      List<Double> sorted = new ArrayList<>(all);
      sorted.sort(Double::compare);
      String summary =
          sorted.isEmpty()
              ? "No worker rendered two jobs: send more jobs (--jobs)."
              : String.format(
                  Locale.ROOT,
                  "%d first jobs: ratio min %.2fx, median %.2fx, max %.2fx; %d of %d within the %.2fx target.",
                  sorted.size(),
                  sorted.get(0),
                  sorted.get(sorted.size() / 2),
                  sorted.get(sorted.size() - 1),
                  sorted.stream().filter(r -> r <= TARGET).count(),
                  sorted.size(),
                  TARGET);
      md.append('\n').append(summary).append('\n');
      out.println(md);
      if (!noAppend) {
        Path doc = FarmCli.home().resolve("docs/benchmarks.md");
        Files.writeString(
            doc,
            md.toString(),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        out.println("appended to " + doc);
      }
      return 0;
    }
  }
}
