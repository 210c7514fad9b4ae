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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Farm overhead per job: submit to result recorded (the coordinator's completedAt - createdAt)
 * minus the worker's render time, with workers on the instant pipeline so rendering costs nothing,
 * jobs one after another. In the same run, a bundled-pipeline worker renders a few draft images so
 * the overhead is shown next to a real render time.
 */
public final class OverheadBench {
  /** Jobs before measuring: the share group's first seconds are jumpy (PLATFORM.md). */
  static final int DEFAULT_WARMUP = 30;

  static final int DEFAULT_JOBS = 200;

  /** Draft renders measured on the bundled pipeline, after one warm-up render. */
  static final int DEFAULT_DRAFTS = 5;

  /**
   * One job's wait for its result, s: far above any overhead; a job this late means a stuck farm.
   */
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

  /**
   * Poll interval. Latency comes from the coordinator's timestamps, so polling only paces the loop;
   * polling faster would load the 2 cores the farm under test runs on (every poll is an HTTP
   * request and two queries).
   */
  private static final Duration POLL = Duration.ofMillis(Long.getLong("bench.poll.ms", 25));

  private OverheadBench() {}

  /** min, median, p99 of a sample, ms. */
  record Stats(int n, long min, long p50, long p99, double mean) {
    static Stats of(List<Long> values) {
      List<Long> v = new ArrayList<>(values);
      Collections.sort(v);
      return new Stats(
          v.size(),
          v.get(0),
          percentile(v, 50),
          percentile(v, 99),
          v.stream().mapToLong(Long::longValue).average().orElse(0));
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, int p) {
      int rank = (int) Math.ceil(p / 100.0 * sorted.size());
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    String row(String what) {
      return String.format(
          Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f |", what, n, min, p50, p99, mean);
    }
  }

  /**
   * One job's path, ms, from the coordinator's and the worker's timestamps (one host's clock here;
   * across hosts the worker hops absorb the clock skew).
   *
   * @param endToEnd accepted -> result recorded
   * @param render the worker's render
   * @param dispatch accepted -> the broker acknowledged the job message (claim, send, mark)
   * @param toWorker job message acknowledged -> render start (Kafka hop, poll, decode, batching)
   * @param store render end -> PNG encoded and written (the result message's time stamp)
   * @param record -> recorded (result send, Kafka hop, poll, recording transaction)
   */
  record Timing(long endToEnd, long render, long dispatch, long toWorker, long store, long record) {
    static Timing of(JsonNode job) {
      JsonNode img = job.path("images").path(0);
      long created = millis(job, "createdAt");
      long renderStart = created + img.path("queueWaitMs").asLong();
      long render = img.path("renderMs").asLong();
      long dispatched = millis(job, "dispatchedAt");
      long finished = millis(img, "finishedAt");
      long recorded = millis(img, "recordedAt");
      return new Timing(
          FarmClient.endToEndMs(job),
          render,
          dispatched - created,
          renderStart - dispatched,
          finished - renderStart - render,
          recorded - finished);
    }

    long overhead() {
      return endToEnd - render;
    }

    private static long millis(JsonNode n, String field) {
      return java.time.OffsetDateTime.parse(n.path(field).asText()).toInstant().toEpochMilli();
    }
  }

  record Report(
      Stats overhead,
      Stats instantEndToEnd,
      Stats draftRender,
      Stats draftOverhead,
      List<Timing> instant) {}

  static Report run(Farm farm, int warmup, int jobs, int drafts, PrintStream out) {
    FarmClient client = farm.client();
    out.printf("warming up with %d instant jobs%n", warmup);
    measure(client, warmup, "instant warm-up");
    out.printf("measuring %d instant jobs one after another%n", jobs);
    List<Timing> instant = measure(client, jobs, "instant");

    // Same run, same machine: swap the instant workers for one bundled worker and time real drafts.
    for (int i = 0; i < farm.workers().size(); i++) {
      if (farm.workers().get(i).isAlive()) {
        farm.stopWorker(i, Farm.Signal.TERM);
      }
    }
    out.println("starting a bundled-pipeline worker for the draft render time");
    farm.startWorker("bundled");
    measure(client, 1, "draft warm-up");
    List<Timing> draft = measure(client, drafts, "draft");
    return new Report(
        stats(instant, Timing::overhead),
        stats(instant, Timing::endToEnd),
        stats(draft, Timing::render),
        stats(draft, Timing::overhead),
        instant);
  }

  private static Stats stats(List<Timing> timings, java.util.function.ToLongFunction<Timing> f) {
    return Stats.of(timings.stream().map(t -> f.applyAsLong(t)).toList());
  }

  /** Submits {@code n} draft jobs one after another and times each. */
  private static List<Timing> measure(FarmClient client, int n, String label) {
    List<Timing> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonNode done =
          client.runToSuccess(
              FarmClient.draftJob(
                  "a red mug on a white background, studio photo", "bench", 1000L + i),
              JOB_TIMEOUT,
              POLL,
              label);
      results.add(Timing.of(done));
    }
    return results;
  }

  static String markdown(Report r, String command, String machine) {
    StringBuilder sb = new StringBuilder();
    sb.append("\n### Run ").append(Instant.now()).append("\n\n");
    sb.append("Command: `").append(command).append("`  \n");
    sb.append("Machine: ").append(machine).append("\n\n");
    sb.append("| ms | n | min | median | p99 | mean |\n|---|---|---|---|---|---|\n");
    sb.append(r.overhead().row("farm overhead per job, instant pipeline (end-to-end - render)"))
        .append('\n');
    sb.append(r.instantEndToEnd().row("end-to-end per job, instant pipeline")).append('\n');
    sb.append(r.draftRender().row("bundled draft render (512x512)")).append('\n');
    sb.append(r.draftOverhead().row("farm overhead per job, bundled draft")).append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "%nMedian farm overhead is %.1f%% of a median bundled draft render.%n",
            100.0 * r.overhead().p50() / Math.max(1, r.draftRender().p50())));
    sb.append(
        "\nWhere the instant jobs' time went (each hop's own distribution; medians do not add up exactly):\n\n");
    sb.append("| hop, ms | n | min | median | p99 | mean |\n|---|---|---|---|---|---|\n");
    sb.append(
            stats(r.instant(), Timing::dispatch)
                .row("accepted -> job message acknowledged by the broker (claim, send, mark)"))
        .append('\n');
    sb.append(
            stats(r.instant(), Timing::toWorker)
                .row("-> render start on a worker (Kafka share-group hop, poll, decode)"))
        .append('\n');
    sb.append(stats(r.instant(), Timing::render).row("render (instant stub)")).append('\n');
    sb.append(stats(r.instant(), Timing::store).row("render end -> PNG encoded and written"))
        .append('\n');
    sb.append(
            stats(r.instant(), Timing::record)
                .row("-> result recorded by the coordinator (send, Kafka hop, transaction)"))
        .append('\n');
    return sb.toString();
  }

  /** {@code farm bench}: benchmark commands. */
  @picocli.CommandLine.Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = "Benchmarks of the local farm.",
      subcommands = {
        Overhead.class,
        IntakeBench.class,
        FirstJobBench.Command.class,
        StorageBench.class,
        AnalyticsBench.class,
        ScaleBench.class,
        PriorityBench.class
      })
  static final class Command {}

  @picocli.CommandLine.Command(
      name = "overhead",
      mixinStandardHelpOptions = true,
      description =
          "Farm overhead per job (submit -> result recorded, minus render time) at min/median/p99, "
              + "instant pipeline, next to a bundled draft render; appends to docs/benchmarks.md.")
  static final class Overhead implements Callable<Integer> {
    @Mixin FarmCli.FarmArgs args;

    @Option(
        names = "--jobs",
        defaultValue = "" + DEFAULT_JOBS,
        description = "measured jobs (default ${DEFAULT-VALUE})")
    int jobs;

    @Option(
        names = "--warmup",
        defaultValue = "" + DEFAULT_WARMUP,
        description = "warm-up jobs (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(
        names = "--drafts",
        defaultValue = "" + DEFAULT_DRAFTS,
        description = "bundled draft renders (default ${DEFAULT-VALUE})")
    int drafts;

    @Option(names = "--no-append", description = "do not append to docs/benchmarks.md")
    boolean noAppend;

    @Override
    public Integer call() throws IOException {
      FarmOptions o = args.options().withPipeline("instant");
      if (args.dataDir == null) {
        // A bench run must not mix its jobs into the user's farm data.
        o = o.withDataDir(FarmCli.home().resolve("farm-data/bench"));
      }
      String command =
          "./farm bench overhead --workers "
              + o.workers()
              + " --warmup "
              + warmup
              + " --jobs "
              + jobs
              + " --drafts "
              + drafts;
      Report r;
      String machine;
      try (Farm farm = Farm.start(o)) {
        machine =
            machine()
                + "; "
                + o.workers()
                + " instant worker(s), then 1 bundled worker, each with "
                + farm.threadsPerWorker()
                + " PyTorch intra-op thread(s)";
        r = run(farm, warmup, jobs, drafts, System.out);
      }
      String md = markdown(r, command, machine);
      System.out.println(md);
      if (!noAppend) {
        Path doc = FarmCli.home().resolve("docs/benchmarks.md");
        Files.createDirectories(doc.getParent());
        if (!Files.exists(doc) || !Files.readString(doc).contains("## Farm overhead")) {
          Files.writeString(
              doc,
              (Files.exists(doc) ? "\n" : "# Benchmarks\n")
                  + "\n## Farm overhead\n\n"
                  + "Submit -> result recorded (coordinator completedAt - createdAt) minus the worker's render time, jobs one after another, "
                  + "workers on the instant pipeline; the bundled draft render time is measured in the same run.\n",
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        }
        Files.writeString(doc, md, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.println("appended to " + doc);
      }
      return 0;
    }

    private static String machine() {
      return Runtime.getRuntime().availableProcessors()
          + " cores, Java "
          + System.getProperty("java.version")
          + ", "
          + System.getProperty("os.name")
          + " "
          + System.getProperty("os.arch");
    }
  }
}
