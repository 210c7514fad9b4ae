package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Priority and fair share end to end, on a farm of real workers: an interactive draft job's latency
 * on the idle farm, then behind a bulk backlog with every worker busy, against the bound {@code 2 x
 * idle latency + one batch render}; the split of the first completions between two equal-weight
 * teams that queue one after the other; and how long {@code farm up} takes to be ready on the data
 * directory that still holds the backlog. {@code BacklogIT} runs the same steps with assertions.
 */
@Command(
    name = "priority",
    mixinStandardHelpOptions = true,
    description =
        "Interactive latency idle and behind a bulk backlog, fair share of the first completions"
            + " between two teams, farm up ready time with the backlog queued; appends to"
            + " docs/benchmarks.md.")
public final class PriorityBench implements Callable<Integer> {
  @Mixin FarmCli.FarmArgs args;

  @Option(
      names = "--backlog",
      defaultValue = "100000",
      description = "bulk jobs queued behind the interactive ones (default ${DEFAULT-VALUE})")
  int backlog;

  @Option(
      names = "--probes",
      defaultValue = "5",
      description =
          "interactive jobs measured idle and behind the backlog (default ${DEFAULT-VALUE})")
  int probes;

  @Option(
      names = "--team-jobs",
      defaultValue = "2000",
      description = "jobs each of the two teams queues (default ${DEFAULT-VALUE})")
  int teamJobs;

  @Option(
      names = "--first",
      defaultValue = "400",
      description =
          "completions whose split between the teams is counted (default ${DEFAULT-VALUE})")
  int first;

  @Option(
      names = "--fair-runs",
      defaultValue = "1",
      description =
          "times the two teams queue and their first completions are counted, one after the other"
              + " on the same farm (default ${DEFAULT-VALUE})")
  int fairRuns;

  @Option(
      names = "--coordinator-env",
      description = "KEY=VALUE for the coordinator (repeatable), e.g. TURBOFARM_...")
  Map<String, String> coordinatorEnv = new LinkedHashMap<>();

  @Option(names = "--no-append", description = "do not append to docs/benchmarks.md")
  boolean noAppend;

  /** One job's wait, s: a draft renders in a second on CPU; minutes mean a stuck farm. */
  static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);

  private static final Duration POLL = Duration.ofMillis(50);

  /** Latencies of interactive jobs sent one after another, and the render bound. */
  public record Latency(List<Long> idleMs, List<Long> busyMs, long batchRenderMs, int batchSize) {
    public long idleMedian() {
      return median(idleMs);
    }

    /** Twice the idle latency plus one batch render: what a job behind a backlog may take. */
    public long bound() {
      return 2 * idleMedian() + batchRenderMs;
    }

    public long busyMax() {
      return Collections.max(busyMs);
    }
  }

  /** How the first completions of two equal-weight teams split. */
  public record Split(String teamA, long a, String teamB, long b) {
    public double shareA() {
      return a / (double) Math.max(1, a + b);
    }
  }

  @Override
  public Integer call() throws Exception {
    FarmOptions o = args.options().withCoordinatorEnv(coordinatorEnv);
    if (args.dataDir == null) {
      o = o.withDataDir(FarmCli.home().resolve("farm-data/bench-priority"));
    }
    ScaleBench.deleteTree(o.dataDir());
    PrintStream out = System.out;
    double load0 = ProcCpu.loadAverage();
    Latency latency;
    List<Split> splits = new ArrayList<>();
    long readyMs;
    try (Farm farm = Farm.start(o.withFreePorts())) {
      FarmClient client = new FarmClient(farm.coordinatorUrl(), farm.adminKey());
      for (int i = 0; i < fairRuns; i++) {
        splits.add(fairShare(farm, client, teamJobs, first, out));
      }
      latency = latency(farm, client, backlog, probes, out);
    }
    // The backlog stays queued in the data directory: farm up on it again.
    long t0 = System.nanoTime();
    try (Farm farm = Farm.start(o.withFreePorts())) {
      readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      long queued = queued(farm);
      out.printf(
          Locale.ROOT,
          "farm up on the data directory with %,d jobs queued: ready in %,d ms%n",
          queued,
          readyMs);
      cancelAll(farm);
    }
    String md = markdown(o, latency, splits, readyMs, load0, ProcCpu.loadAverage());
    out.println(md);
    if (!noAppend) {
      Path doc = FarmCli.home().resolve("docs/benchmarks.md");
      if (!Files.readString(doc).contains("## Priority under backlog")) {
        Files.writeString(
            doc,
            "\n## Priority under backlog\n\n"
                + "`./farm bench priority` on a farm of real workers (the bundled model by"
                + " default): interactive draft jobs one after another on the idle farm, then"
                + " behind a bulk backlog with every worker busy, against the bound `2 x idle"
                + " latency + one batch render` (the median render of a full batch of the backlog,"
                + " same run); the first completions of two equal-weight teams that queue one"
                + " catalogue each, one after the other; and `farm up` on the data directory that"
                + " still holds the backlog, until \"farm ready\".\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
      }
      Files.writeString(doc, md, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      out.println("appended to " + doc);
    }
    return 0;
  }

  /**
   * Two teams of equal weight queue {@code jobs} each, one catalogue after the other; returns the
   * split of the first {@code first} completions, then cancels what is left.
   */
  public static Split fairShare(Farm farm, FarmClient client, int jobs, int first, PrintStream out)
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    String teamA = "team-a-" + suffix;
    String teamB = "team-b-" + suffix;
    HttpClient http = HttpClient.newHttpClient();
    String a =
        ScaleBench.submit(http, farm.coordinatorUrl(), farm.adminKey(), jobs, teamA, "fair-a");
    String b =
        ScaleBench.submit(http, farm.coordinatorUrl(), farm.adminKey(), jobs, teamB, "fair-b");
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    try (Connection db = db(farm)) {
      while (succeeded(db, a, b) < first) {
        if (System.nanoTime() > deadline) {
          throw new FarmException("fewer than " + first + " jobs of two teams done in time");
        }
        Thread.sleep(200);
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put(teamA, 0L);
      counts.put(teamB, 0L);
      try (PreparedStatement ps =
          db.prepareStatement(
              "SELECT team FROM job WHERE batch_id IN (?, ?) AND state = 'SUCCEEDED'"
                  + " ORDER BY completed_at, id LIMIT ?")) {
        ps.setObject(1, UUID.fromString(a));
        ps.setObject(2, UUID.fromString(b));
        ps.setInt(3, first);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            counts.merge(rs.getString(1), 1L, Long::sum);
          }
        }
      }
      client.post("/api/v1/batches/" + a + "/cancel", "{}");
      client.post("/api/v1/batches/" + b + "/cancel", "{}");
      Split s = new Split(teamA, counts.get(teamA), teamB, counts.get(teamB));
      out.printf(
          Locale.ROOT,
          "fair share: first %d completions: %s %d, %s %d (%.1f%% / %.1f%%); %s%n",
          first,
          teamA,
          s.a(),
          teamB,
          s.b(),
          100 * s.shareA(),
          100 * (1 - s.shareA()),
          headStart(db, a, b, first));
      awaitNothingDispatched(db);
      return s;
    }
  }

  /**
   * How the first team's head start looked: its jobs dispatched before the second team's first, how
   * much later that was, and each team's share of the first dispatches; so a skewed split says
   * whether the dispatcher or the workers made it.
   */
  private static String headStart(Connection db, String a, String b, int first)
      throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement(
            "WITH d AS (SELECT batch_id, dispatched_at FROM job WHERE batch_id IN (?, ?)"
                + " AND dispatched_at IS NOT NULL),"
                + " fb AS (SELECT min(dispatched_at) t FROM d WHERE batch_id = ?),"
                + " fa AS (SELECT min(dispatched_at) t FROM d WHERE batch_id = ?),"
                + " firstn AS (SELECT batch_id FROM d ORDER BY dispatched_at LIMIT ?)"
                + " SELECT (SELECT count(*) FROM d, fb WHERE d.batch_id = ? AND d.dispatched_at"
                + " < fb.t), (SELECT round(extract(epoch FROM fb.t - fa.t) * 1000) FROM fa, fb),"
                + " (SELECT count(*) FROM firstn WHERE batch_id = ?)")) {
      UUID ua = UUID.fromString(a);
      UUID ub = UUID.fromString(b);
      ps.setObject(1, ua);
      ps.setObject(2, ub);
      ps.setObject(3, ub);
      ps.setObject(4, ua);
      ps.setInt(5, first);
      ps.setObject(6, ua);
      ps.setObject(7, ua);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return String.format(
            Locale.ROOT,
            "the first team had %d jobs dispatched before the second's first, %d ms earlier; of"
                + " the first %d dispatched, %d were the first team's",
            rs.getLong(1),
            rs.getLong(2),
            first,
            rs.getLong(3));
      }
    }
  }

  /**
   * Interactive draft jobs one after another on the idle farm, then behind {@code backlog} queued
   * bulk drafts once every worker is busy; the backlog stays queued.
   */
  public static Latency latency(
      Farm farm, FarmClient client, int backlog, int probes, PrintStream out) throws Exception {
    try (Connection db = db(farm)) {
      awaitNothingDispatched(db);
    }
    List<Long> idle = probe(client, probes, "idle", out);
    out.printf("interactive draft on the idle farm, ms: %s%n", idle);
    HttpClient http = HttpClient.newHttpClient();
    String batch =
        ScaleBench.submit(
            http, farm.coordinatorUrl(), farm.adminKey(), backlog, "backlog", "backlog");
    // Busy: every worker has rendered a full batch of the backlog and holds the next.
    int workers = farm.workers().size();
    try (Connection db = db(farm)) {
      long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
      while (fullBatches(db, batch) < workers) {
        if (System.nanoTime() > deadline) {
          throw new FarmException("the workers did not start on the backlog in time");
        }
        Thread.sleep(100);
      }
      List<Long> busy = new ArrayList<>();
      for (int i = 0; i < probes; i++) {
        // At a random moment of the workers' batches, not right after one ended.
        Thread.sleep(ThreadLocalRandom.current().nextLong(200, 1500));
        busy.addAll(probe(client, 1, "backlog", out));
      }
      long[] b = batchRender(db, batch);
      Latency l = new Latency(idle, busy, b[0], (int) b[1]);
      out.printf(
          Locale.ROOT,
          "interactive draft behind %,d queued bulk jobs, ms: %s; bound 2 x %d + %d (batch of %d)"
              + " = %d%n",
          backlog,
          busy,
          l.idleMedian(),
          l.batchRenderMs(),
          l.batchSize(),
          l.bound());
      return l;
    }
  }

  /**
   * End-to-end ms (the coordinator's timestamps) of {@code n} interactive drafts in a row; each
   * probe's stages are printed, so a slow one shows where its time went.
   */
  static List<Long> probe(FarmClient client, int n, String what, PrintStream out) {
    List<Long> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonNode done =
          client.runToSuccess(
              FarmClient.draftJob(
                  "a blue mug on a white background, studio photo", "probe", 500L + i),
              JOB_TIMEOUT,
              POLL,
              what + " probe");
      long total = FarmClient.endToEndMs(done);
      ms.add(total);
      out.printf(Locale.ROOT, "  %s probe: %d ms = %s%n", what, total, stages(done));
    }
    return ms;
  }

  /**
   * Where a finished job's time went, from the coordinator's and the worker's timestamps: queued
   * until dispatched, dispatched until its render started (the topic and the batch ahead of it on
   * the worker), the render, storing and publishing, and recording the result. The coordinator
   * stamps a dispatch when its transaction starts, so the stages are good to about 20 ms and a
   * short one can print as slightly negative.
   */
  static String stages(JsonNode job) {
    JsonNode img = job.path("images").path(0);
    long created = millis(job.path("createdAt"));
    long dispatched = millis(job.path("dispatchedAt"));
    long finished = millis(img.path("finishedAt"));
    long completed = millis(job.path("completedAt"));
    long wait = img.path("queueWaitMs").asLong();
    long render = img.path("renderMs").asLong();
    return String.format(
        Locale.ROOT,
        "dispatch %d + wait on worker %d + render %d + store and publish %d + record %d",
        dispatched - created,
        wait,
        render,
        finished - dispatched - wait - render,
        completed - finished);
  }

  private static long millis(JsonNode timestamp) {
    return OffsetDateTime.parse(timestamp.asText()).toInstant().toEpochMilli();
  }

  private static Connection db(Farm farm) throws SQLException {
    return DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword());
  }

  private static long succeeded(Connection db, String a, String b) throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement(
            "SELECT count(*) FROM job WHERE batch_id IN (?, ?) AND state = 'SUCCEEDED'")) {
      ps.setObject(1, UUID.fromString(a));
      ps.setObject(2, UUID.fromString(b));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Distinct workers that rendered a full batch (the largest batch seen) of the backlog. */
  private static long fullBatches(Connection db, String batch) throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement(
            "SELECT count(DISTINCT i.worker_id) FROM image i JOIN job j ON j.id = i.job_id"
                + " WHERE j.batch_id = ? AND i.batch_size > 1")) {
      ps.setObject(1, UUID.fromString(batch));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Median render of the backlog's largest batches, ms, and that batch size. */
  private static long[] batchRender(Connection db, String batch) throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement(
            "WITH r AS (SELECT i.render_ms, i.batch_size FROM image i JOIN job j ON j.id = i.job_id"
                + " WHERE j.batch_id = ?)"
                + " SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY render_ms), max(batch_size)"
                + " FROM r WHERE batch_size = (SELECT max(batch_size) FROM r)")) {
      ps.setObject(1, UUID.fromString(batch));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private static void awaitNothingDispatched(Connection db) throws Exception {
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    while (true) {
      try (PreparedStatement ps =
              db.prepareStatement("SELECT count(*) FROM job WHERE state = 'DISPATCHED'");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) == 0) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new FarmException("jobs still DISPATCHED after the teams' batches were cancelled");
      }
      Thread.sleep(200);
    }
  }

  /** Jobs QUEUED in the farm's database. */
  static long queued(Farm farm) throws SQLException {
    try (Connection db = db(farm);
        PreparedStatement ps =
            db.prepareStatement("SELECT count(*) FROM job WHERE state = 'QUEUED'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Cancels every batch that still has queued jobs. */
  static void cancelAll(Farm farm) throws SQLException {
    FarmClient client = new FarmClient(farm.coordinatorUrl(), farm.adminKey());
    try (Connection db = db(farm);
        PreparedStatement ps =
            db.prepareStatement(
                "SELECT DISTINCT batch_id FROM job WHERE state = 'QUEUED' AND batch_id IS NOT NULL");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        client.post("/api/v1/batches/" + rs.getString(1) + "/cancel", "{}");
      }
    }
  }

  static long median(List<Long> values) {
    List<Long> v = new ArrayList<>(values);
    Collections.sort(v);
    return v.get(v.size() / 2);
  }

  private String markdown(
      FarmOptions o, Latency l, List<Split> splits, long readyMs, double load0, double load1) {
    StringBuilder sb = new StringBuilder();
    sb.append("\n### Run ").append(Instant.now()).append("\n\n");
    StringBuilder cmd =
        new StringBuilder("./farm bench priority --workers ")
            .append(o.workers())
            .append(" --pipeline ")
            .append(o.pipeline())
            .append(" --backlog ")
            .append(backlog)
            .append(" --probes ")
            .append(probes)
            .append(" --team-jobs ")
            .append(teamJobs)
            .append(" --first ")
            .append(first)
            .append(fairRuns > 1 ? " --fair-runs " + fairRuns : "");
    coordinatorEnv.forEach(
        (k, v) -> cmd.append(" --coordinator-env ").append(k).append('=').append(v));
    sb.append("Command: `").append(cmd).append("`  \n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Machine: %d cores, Java %s; load average %.2f before, %.2f after%n%n",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            load0,
            load1));
    sb.append("| measure | value |\n|---|---|\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "| interactive draft, idle farm, ms (in order) | %s, median %d |%n",
            l.idleMs(),
            l.idleMedian()));
    sb.append(
        String.format(
            Locale.ROOT,
            "| batch render (median of full batches of %d), ms | %d |%n",
            l.batchSize(),
            l.batchRenderMs()));
    sb.append(
        String.format(
            Locale.ROOT,
            "| interactive draft behind %,d queued bulk jobs, workers busy, ms | %s, max %d |%n",
            backlog,
            l.busyMs(),
            l.busyMax()));
    sb.append(
        String.format(
            Locale.ROOT,
            "| bound: 2 x idle + one batch render, ms | %d (%s) |%n",
            l.bound(),
            l.busyMax() <= l.bound() ? "held by every probe" : "EXCEEDED"));
    sb.append(
        String.format(
            Locale.ROOT,
            "| first %d completions, two equal teams queueing %,d each one after the other | %s"
                + " (target within 45/55) |%n",
            first,
            teamJobs,
            String.join(
                "; ",
                splits.stream()
                    .map(
                        s ->
                            String.format(
                                Locale.ROOT,
                                "%d / %d (%.1f%% / %.1f%%)",
                                s.a(),
                                s.b(),
                                100 * s.shareA(),
                                100 * (1 - s.shareA())))
                    .toList())));
    sb.append(
        String.format(
            Locale.ROOT,
            "| `farm up` on the data directory with the backlog queued, until ready, ms | %,d"
                + " (target under 60,000) |%n",
            readyMs));
    return sb.toString();
  }
}
