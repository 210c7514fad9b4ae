package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput of the farm's own path with hundreds of SIMULATED workers (no model, a fixed or drawn
 * render time; see the worker's {@code --simulate}): each run starts a farm from an empty data
 * directory, submits the jobs as one catalogue of one-image jobs through the API, and measures,
 * from the submission to the last job recorded, jobs/s end to end, the overhead of interactive
 * probe jobs sent meanwhile, PostgreSQL statements and transactions per job, Kafka records per job
 * and the CPU each process spent per 1,000 jobs, beside the raw limits of the same broker and
 * database measured in the same run.
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description =
        "Jobs/s end to end with N SIMULATED workers (fresh farm per run), overhead, PostgreSQL"
            + " statements and Kafka records per job, CPU per 1,000 jobs, beside raw Kafka and"
            + " UPDATE rates; appends to docs/benchmarks.md.")
public final class ScaleBench implements Callable<Integer> {
  @Option(
      names = "--workers",
      split = ",",
      defaultValue = "50,200",
      description = "simulated worker counts, one farm each (default ${DEFAULT-VALUE})")
  List<Integer> workers;

  @Option(
      names = "--jobs",
      defaultValue = "100000",
      description = "measured one-image jobs per run (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(
      names = "--warmup-jobs",
      defaultValue = "5000",
      description = "jobs run through each farm before measuring (default ${DEFAULT-VALUE})")
  int warmupJobs;

  @Option(
      names = "--runs",
      defaultValue = "2",
      description = "runs per worker count, each on a fresh farm (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--render-ms",
      defaultValue = "20",
      description =
          "simulated render time per batch (worker --render-ms: MS, MEDIAN:lognormal:SIGMA,"
              + " cost:MS_PER_MPX_STEP[:BASE]) (default ${DEFAULT-VALUE})")
  String renderMs;

  @Option(
      names = "--max-batch",
      defaultValue = "8",
      description = "each simulated worker's max batch, images (default ${DEFAULT-VALUE})")
  int maxBatch;

  @Option(
      names = "--probe-interval-ms",
      defaultValue = "250",
      description =
          "an interactive probe job every this many ms during the measured run (default"
              + " ${DEFAULT-VALUE})")
  long probeIntervalMs;

  @Option(
      names = "--raw-records",
      defaultValue = "100000",
      description = "records / rows of each raw-limit measurement (default ${DEFAULT-VALUE})")
  int rawRecords;

  @Option(
      names = "--baseline-coordinator",
      description =
          "another coordinator build (its quarkus-app folder) run alternately with this one, so"
              + " before and after are measured in the same run")
  Path baseline;

  @Option(
      names = "--coordinator-env",
      description = "KEY=VALUE for the coordinator under test (repeatable), e.g. TURBOFARM_...")
  Map<String, String> coordinatorEnv = new LinkedHashMap<>();

  @Option(
      names = "--variant",
      description =
          "NAME:KEY=VALUE[,KEY=VALUE...]: one more configuration of this build's coordinator, run"
              + " alternately with the others (repeatable), e.g."
              + " 'window-128:TURBOFARM_DISPATCHER_MAX_IN_FLIGHT=128'")
  List<String> variantSpecs = new ArrayList<>();

  @Option(
      names = "--data-dir",
      description =
          "the bench's data directory, emptied before each farm (default farm-data/bench-scale)")
  Path dataDir;

  @Option(
      names = "--profile-coordinator",
      description =
          "record the coordinator with Java Flight Recorder and print where its CPU samples of the"
              + " measured run went (JDBC, Kafka client, JTA transactions, JSON, HTTP...)")
  boolean profile;

  @Option(
      names = "--explain-slower-than-ms",
      defaultValue = "0",
      description =
          "log the plan of every statement slower than this in PostgreSQL's log (auto_explain);"
              + " 0 = off (default)")
  int explainSlowerThanMs;

  @Option(names = "--no-append", description = "do not append to docs/benchmarks.md")
  boolean noAppend;

  /** Team of the measured catalogue and of the probes. */
  static final String TEAM = "bench-scale";

  static final String PROBE_TEAM = "bench-probe";

  /** Between progress polls of the catalogue: each is one HTTP request and a GROUP BY, ms. */
  private static final Duration PROGRESS_POLL = Duration.ofSeconds(1);

  /** One farm under test. */
  record Variant(String name, Path app, Map<String, String> env) {}

  /** What one run measured. */
  record Result(
      Variant variant,
      int workers,
      int run,
      long jobs,
      long ms,
      double loadBefore,
      double loadAfter,
      Stats probeOverhead,
      Stats bulkOverhead,
      long statements,
      long transactions,
      Map<String, Long> records,
      Map<String, Double> cpuSeconds,
      long deadlocks,
      List<RawLimits.Rate> raw,
      List<String> topStatements,
      List<String> profile) {
    double jobsPerSecond() {
      return jobs * 1000.0 / Math.max(1, ms);
    }

    long kafkaRecords() {
      return records.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** min, median, p99 of a sample, ms. */
  record Stats(int n, long p50, long p99) {
    static Stats of(List<Long> values) {
      if (values.isEmpty()) {
        return new Stats(0, -1, -1);
      }
      List<Long> v = new ArrayList<>(values);
      Collections.sort(v);
      return new Stats(
          v.size(), OverheadBench.Stats.percentile(v, 50), OverheadBench.Stats.percentile(v, 99));
    }
  }

  @Override
  public Integer call() throws Exception {
    // The bench's own Kafka clients: their config dumps would drown the figures.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    Path home = FarmCli.home();
    Path dir = dataDir != null ? dataDir.toAbsolutePath() : home.resolve("farm-data/bench-scale");
    List<Variant> variants = new ArrayList<>();
    if (baseline != null) {
      variants.add(new Variant("baseline (" + baseline + ")", baseline, Map.of()));
    }
    for (String spec : variantSpecs) {
      int colon = spec.indexOf(':');
      Map<String, String> env = new LinkedHashMap<>(coordinatorEnv);
      for (String kv : spec.substring(colon + 1).split(",")) {
        int eq = kv.indexOf('=');
        if (colon < 1 || eq < 1) {
          throw new FarmException("--variant " + spec + ": expected NAME:KEY=VALUE[,KEY=VALUE...]");
        }
        env.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
      variants.add(new Variant(spec.substring(0, colon) + " " + env, null, env));
    }
    boolean alone = baseline == null && variantSpecs.isEmpty();
    variants.add(
        new Variant(
            alone ? "" : coordinatorEnv.isEmpty() ? "this build" : "this build " + coordinatorEnv,
            null,
            coordinatorEnv));
    List<Result> results = new ArrayList<>();
    for (int w : workers) {
      for (int run = 1; run <= runs; run++) {
        for (Variant v : variants) {
          Result r = runOne(home, dir, v, w, run, System.out);
          results.add(r);
          System.out.println(summary(r));
        }
      }
    }
    String md = markdown(results, command(), variants);
    System.out.println(md);
    if (!noAppend) {
      Path doc = home.resolve("docs/benchmarks.md");
      if (!Files.readString(doc).contains("## Scale: simulated workers")) {
        Files.writeString(
            doc,
            "\n## Scale: simulated workers\n\n"
                + "`./farm bench scale` starts a farm from an empty data directory per run (broker,"
                + " PostgreSQL, coordinator, one process of SIMULATED workers: each virtual worker"
                + " heartbeats and is tracked as a worker, renders nothing, and takes `--render-ms`"
                + " per batch), warms it up, then submits the jobs as one catalogue of one-image"
                + " draft jobs through the API and waits for the last one. Jobs/s is the job count"
                + " over submission start -> last job recorded. Raw limits are measured on the same"
                + " broker and database in the same run, before the load.\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
      }
      Files.writeString(doc, md, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      System.out.println("appended to " + doc);
    }
    return 0;
  }

  private String command() {
    StringBuilder sb =
        new StringBuilder("./farm bench scale --workers ")
            .append(String.join(",", workers.stream().map(String::valueOf).toList()))
            .append(" --jobs ")
            .append(jobs)
            .append(" --runs ")
            .append(runs)
            .append(" --render-ms ")
            .append(renderMs);
    if (warmupJobs != 5000) {
      sb.append(" --warmup-jobs ").append(warmupJobs);
    }
    if (baseline != null) {
      sb.append(" --baseline-coordinator ").append(baseline);
    }
    variantSpecs.forEach(v -> sb.append(" --variant '").append(v).append('\''));
    coordinatorEnv.forEach(
        (k, v) -> sb.append(" --coordinator-env ").append(k).append('=').append(v));
    return sb.toString();
  }

  private Result runOne(Path home, Path dir, Variant v, int w, int run, PrintStream out)
      throws Exception {
    deleteTree(dir);
    double loadBefore = ProcCpu.loadAverage();
    out.printf(
        Locale.ROOT,
        "%n== %s%d simulated workers, run %d of %d (load average %.2f) ==%n",
        v.name().isEmpty() ? "" : v.name() + ": ",
        w,
        run,
        runs,
        loadBefore);
    Map<String, String> env = new LinkedHashMap<>(v.env());
    Path jfr = dir.getParent().resolve(dir.getFileName() + "-coordinator.jfr");
    if (profile) {
      Files.deleteIfExists(jfr);
      env.put(
          "JAVA_TOOL_OPTIONS",
          "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
    }
    FarmOptions o =
        FarmOptions.defaults(home)
            .withFreePorts()
            .withDataDir(dir)
            .withWorkers(1)
            .withPipeline("instant")
            .withBatching(maxBatch, null)
            .withWorkerHeapMb(1024)
            .withWorkerArgs(List.of("--simulate", Integer.toString(w), "--render-ms", renderMs))
            .withPostgresConfig(
                Map.of(
                    "shared_preload_libraries",
                    "pg_stat_statements",
                    "pg_stat_statements.max",
                    "1000"))
            .withCoordinatorApp(v.app())
            .withCoordinatorEnv(env);
    Result result;
    try (Farm farm = Farm.start(o);
        Connection db =
            DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword())) {
      List<RawLimits.Rate> raw = new ArrayList<>();
      raw.add(RawLimits.kafkaClassic(farm.bootstrapServers(), rawRecords));
      raw.add(
          RawLimits.kafkaShare(farm.bootstrapServers(), rawRecords, Math.max(1, (w + 49) / 50)));
      raw.add(
          RawLimits.batchedUpdate(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword(), rawRecords));
      raw.forEach(r -> out.printf(Locale.ROOT, "raw: %s: %,.0f/s%n", r.what(), r.perSecond()));
      try (Statement s = db.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      }
      HttpClient http = HttpClient.newHttpClient();
      FarmClient client = new FarmClient(farm.coordinatorUrl(), farm.adminKey());
      if (warmupJobs > 0) {
        out.printf("warm-up: %,d jobs%n", warmupJobs);
        String id = submit(http, farm.coordinatorUrl(), farm.adminKey(), warmupJobs, "warmup");
        awaitBatch(client, id, out);
      }
      Map<String, Long> pids = pids(farm, dir);
      try (Statement s = db.createStatement()) {
        s.execute("SELECT pg_stat_statements_reset()");
      }
      Map<String, Double> cpu0 = cpu(pids);
      long[] db0 = databaseCounters(db);
      Map<String, Long> offsets0 = offsets(farm.bootstrapServers());
      Instant t0 = Instant.now();
      Probes probes = new Probes(client, probeIntervalMs);
      probes.start();
      String batch = submit(http, farm.coordinatorUrl(), farm.adminKey(), jobs, "measured");
      awaitBatch(client, batch, out);
      probes.stop();
      Instant end = lastCompleted(db, batch);
      Map<String, Double> cpu1 = cpu(pids);
      long[] db1 = databaseCounters(db);
      long statements = statements(db);
      List<String> top = topStatements(db);
      Map<String, Long> offsets1 = offsets(farm.bootstrapServers());
      Map<String, Long> records = new TreeMap<>();
      offsets1.forEach((t, n) -> records.put(t, n - offsets0.getOrDefault(t, 0L)));
      records.values().removeIf(n -> n == 0);
      Map<String, Double> cpuUsed = new LinkedHashMap<>();
      cpu1.forEach((k, s) -> cpuUsed.put(k, s - cpu0.getOrDefault(k, 0.0)));
      long ms = Duration.between(t0, end).toMillis();
      measured = new Instant[] {t0, end};
      result =
          new Result(
              v,
              w,
              run,
              jobs,
              ms,
              loadBefore,
              ProcCpu.loadAverage(),
              Stats.of(probes.overheads()),
              Stats.of(bulkOverheads(db, batch)),
              statements,
              db1[0] - db0[0],
              records,
              cpuUsed,
              deadlocks(farm.logDir()),
              raw,
              top,
              List.of());
    }
    if (profile) {
      // The farm has stopped: the coordinator wrote its recording on exit.
      List<String> areas = CpuProfile.areas(jfr, measured[0], measured[1]);
      areas.forEach(out::println);
      result =
          new Result(
              result.variant(),
              result.workers(),
              result.run(),
              result.jobs(),
              result.ms(),
              result.loadBefore(),
              result.loadAfter(),
              result.probeOverhead(),
              result.bulkOverhead(),
              result.statements(),
              result.transactions(),
              result.records(),
              result.cpuSeconds(),
              result.deadlocks(),
              result.raw(),
              result.topStatements(),
              areas);
    }
    return result;
  }

  /** Start and end of the last measured run, for the profile's time window. */
  private Instant[] measured;

  /** pg_stat_statements for the statement counts; auto_explain when asked for. */
  private Map<String, String> postgresConfig() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("pg_stat_statements.max", "1000");
    if (explainSlowerThanMs > 0) {
      c.put("shared_preload_libraries", "pg_stat_statements,auto_explain");
      c.put("auto_explain.log_min_duration", explainSlowerThanMs + "ms");
      c.put("auto_explain.log_analyze", "on");
      c.put("auto_explain.log_buffers", "on");
    } else {
      c.put("shared_preload_libraries", "pg_stat_statements");
    }
    return c;
  }

  /** Interactive jobs sent at a fixed pace during the measured run; their overhead under load. */
  private static final class Probes {
    private final FarmClient client;
    private final long intervalMs;
    private final List<String> ids = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;
    private Thread thread;

    Probes(FarmClient client, long intervalMs) {
      this.client = client;
      this.intervalMs = intervalMs;
    }

    void start() {
      thread =
          new Thread(
              () -> {
                long seed = 0;
                while (running) {
                  ids.add(
                      client.submit(
                          FarmClient.draftJob("probe: a red mug on white", PROBE_TEAM, seed++)));
                  try {
                    Thread.sleep(intervalMs);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-probes");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    /** submit -> recorded minus render, ms, of every probe that succeeded. */
    List<Long> overheads() {
      List<Long> out = new ArrayList<>();
      for (String id : ids) {
        JsonNode j = client.awaitDone(id, Duration.ofMinutes(2), Duration.ofMillis(100));
        if ("SUCCEEDED".equals(j.path("state").asText())) {
          out.add(FarmClient.endToEndMs(j) - j.path("images").path(0).path("renderMs").asLong());
        }
      }
      return out;
    }
  }

  /** POSTs a catalogue of {@code n} one-image draft jobs of the bench's team; returns its id. */
  static String submit(HttpClient http, URI base, String apiKey, int n, String name)
      throws IOException, InterruptedException {
    return submit(http, base, apiKey, n, TEAM, name);
  }

  /** POSTs a catalogue of {@code n} one-image draft jobs of {@code team}; returns the batch id. */
  static String submit(HttpClient http, URI base, String apiKey, int n, String team, String name)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    base.resolve(
                        "/api/v1/batches?team="
                            + team
                            + "&profile=draft&name="
                            + name
                            + "&template="
                            + "a%20%7Bcolor%7D%20%7Bproduct%7D%20on%20a%20%7Bbackground%7D%20background"))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "text/csv")
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(IntakeBench.csv(n)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new FarmException("POST /api/v1/batches answered " + r.statusCode() + ": " + r.body());
    }
    return FarmClient.parse(r.body()).path("id").asText();
  }

  private void awaitBatch(FarmClient client, String id, PrintStream out) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(900, jobs / 20));
    long lastPrint = 0;
    while (true) {
      JsonNode b = client.get("/api/v1/batches/" + id).body();
      if (b != null && b.path("done").asBoolean()) {
        JsonNode j = b.path("jobs");
        if (j.path("failed").asLong() > 0) {
          throw new FarmException(
              "batch " + id + ": " + j.path("failed").asLong() + " jobs FAILED; see the logs");
        }
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new FarmException("batch " + id + " not done in time: " + b);
      }
      if (b != null && System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(10)) {
        lastPrint = System.nanoTime();
        JsonNode j = b.path("jobs");
        out.printf(
            Locale.ROOT,
            "  %,d of %,d done, %,d dispatched, %.0f images/s (load average %.2f)%n",
            j.path("succeeded").asLong(),
            j.path("total").asLong(),
            j.path("dispatched").asLong(),
            b.path("imagesPerSecond").asDouble(),
            ProcCpu.loadAverage());
      }
      try {
        Thread.sleep(PROGRESS_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FarmException("interrupted while waiting for batch " + id);
      }
    }
  }

  private static Map<String, Long> pids(Farm farm, Path dir) {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("coordinator", farm.servicePid("coordinator"));
    pids.put("broker", farm.servicePid("kafka"));
    pids.put("postgres", ProcCpu.postmaster(dir.resolve("postgres")));
    pids.put("simulated workers", farm.workers().get(0).pid());
    pids.put("bench client", ProcessHandle.current().pid());
    return pids;
  }

  private static Map<String, Double> cpu(Map<String, Long> pids) {
    Map<String, Double> out = new LinkedHashMap<>();
    // The bench client alone: the farm's processes are its children.
    pids.forEach((k, pid) -> out.put(k, ProcCpu.seconds(pid, !k.equals("bench client"))));
    return out;
  }

  /** Transactions and rows written in the farm's database so far. */
  private static long[] databaseCounters(Connection db) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT xact_commit + xact_rollback, tup_inserted + tup_updated + tup_deleted"
                    + " FROM pg_stat_database WHERE datname = current_database()")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  private static long statements(Connection db) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> topStatements(Connection db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT calls, round(total_exec_time::numeric, 0), rows,"
                    + " regexp_replace(left(query, 140), '\\s+', ' ', 'g')"
                    + " FROM pg_stat_statements ORDER BY calls DESC LIMIT 12")) {
      while (rs.next()) {
        out.add(
            String.format(
                Locale.ROOT,
                "| %,d | %,d | %,d | `%s` |",
                rs.getLong(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getString(4).replace("|", "\\|").replace("`", "'")));
      }
    }
    return out;
  }

  private static Instant lastCompleted(Connection db, String batch) throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement("SELECT max(completed_at) FROM job WHERE batch_id = ?")) {
      ps.setObject(1, UUID.fromString(batch));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getObject(1, OffsetDateTime.class).toInstant();
      }
    }
  }

  /** Per bulk job: dispatched (broker acknowledged) -> recorded, minus the render, ms. */
  private static List<Long> bulkOverheads(Connection db, String batch) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps =
        db.prepareStatement(
            "SELECT (extract(epoch FROM (j.completed_at - j.dispatched_at)) * 1000)::bigint"
                + " - i.render_ms FROM job j JOIN image i ON i.job_id = j.id"
                + " WHERE j.batch_id = ? AND j.state = 'SUCCEEDED'")) {
      ps.setObject(1, UUID.fromString(batch));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  /** End offsets of every topic of the farm, summed over partitions. */
  private static Map<String, Long> offsets(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Set<String> names =
          admin
              .listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
              .names()
              .get(30, TimeUnit.SECONDS);
      List<String> topics =
          names.stream().filter(t -> !t.startsWith("bench.raw.")).sorted().toList();
      Map<String, TopicDescription> d =
          admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> want = new LinkedHashMap<>();
      d.values()
          .forEach(
              t ->
                  t.partitions()
                      .forEach(
                          p ->
                              want.put(
                                  new TopicPartition(t.name(), p.partition()),
                                  OffsetSpec.latest())));
      Map<String, Long> out = new TreeMap<>();
      admin
          .listOffsets(want)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> out.merge(tp.topic(), info.offset(), Long::sum));
      return out;
    }
  }

  private static long deadlocks(Path logDir) throws IOException {
    long n = 0;
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path f : files.toList()) {
        try (Stream<String> lines = Files.lines(f, StandardCharsets.ISO_8859_1)) {
          n += lines.filter(l -> l.contains("deadlock detected")).count();
        }
      }
    }
    return n;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String summary(Result r) {
    return String.format(
        Locale.ROOT,
        "%s%d workers run %d: %,d jobs in %,d ms = %,.0f jobs/s; probes p50 %d p99 %d ms;"
            + " %.1f statements, %.2f transactions, %.2f Kafka records per job; coordinator"
            + " %.2f CPU s per 1,000 jobs; deadlocks %d; load %.2f -> %.2f",
        r.variant().name().isEmpty() ? "" : r.variant().name() + ": ",
        r.workers(),
        r.run(),
        r.jobs(),
        r.ms(),
        r.jobsPerSecond(),
        r.probeOverhead().p50(),
        r.probeOverhead().p99(),
        r.statements() / (double) r.jobs(),
        r.transactions() / (double) r.jobs(),
        r.kafkaRecords() / (double) r.jobs(),
        perThousand(r, "coordinator"),
        r.deadlocks(),
        r.loadBefore(),
        r.loadAfter());
  }

  private static double perThousand(Result r, String process) {
    return r.cpuSeconds().getOrDefault(process, 0.0) * 1000.0 / r.jobs();
  }

  static String markdown(List<Result> results, String command, List<Variant> variants) {
    StringBuilder sb = new StringBuilder();
    sb.append("\n### Run ").append(Instant.now()).append("\n\n");
    sb.append("Command: `").append(command).append("`  \n");
    sb.append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ")
        .append(System.getProperty("java.version"))
        .append(", simulated workers (no model)\n\n");
    sb.append(
        "| coordinator | sim workers | run | jobs | jobs/s | probe overhead p50 / p99 ms |"
            + " bulk dispatched->recorded - render p50 / p99 ms | PG statements / job |"
            + " PG transactions / job | Kafka records / job | CPU s / 1,000 jobs: coordinator,"
            + " broker, PostgreSQL, sim, bench | raw Kafka classic / share rec/s | raw UPDATE rows/s"
            + " | load avg before -> after | deadlocks |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %,d | **%,.0f** | %d / %d | %d / %d | %.1f | %.2f | %.2f |"
                  + " %.2f, %.2f, %.2f, %.2f, %.2f | %,.0f / %,.0f | %,.0f | %.2f -> %.2f | %d |%n",
              r.variant().name().isEmpty() ? "this build" : r.variant().name(),
              r.workers(),
              r.run(),
              r.jobs(),
              r.jobsPerSecond(),
              r.probeOverhead().p50(),
              r.probeOverhead().p99(),
              r.bulkOverhead().p50(),
              r.bulkOverhead().p99(),
              r.statements() / (double) r.jobs(),
              r.transactions() / (double) r.jobs(),
              r.kafkaRecords() / (double) r.jobs(),
              perThousand(r, "coordinator"),
              perThousand(r, "broker"),
              perThousand(r, "postgres"),
              perThousand(r, "simulated workers"),
              perThousand(r, "bench client"),
              r.raw().get(0).perSecond(),
              r.raw().get(1).perSecond(),
              r.raw().get(2).perSecond(),
              r.loadBefore(),
              r.loadAfter(),
              r.deadlocks()));
    }
    sb.append(
        "\nMin and median jobs/s per configuration, and the share of the raw limits reached:\n\n");
    sb.append(
        "| coordinator | sim workers | runs | jobs/s min | jobs/s median | median / raw share-group"
            + " rate | median / (raw UPDATE rate / 3 job updates) |\n|---|---|---|---|---|---|---|\n");
    Map<String, List<Result>> groups = new LinkedHashMap<>();
    for (Result r : results) {
      groups
          .computeIfAbsent(r.variant().name() + "\u0000" + r.workers(), k -> new ArrayList<>())
          .add(r);
    }
    for (List<Result> g : groups.values()) {
      List<Double> rates = g.stream().map(Result::jobsPerSecond).sorted().toList();
      double median = rates.get(rates.size() / 2);
      if (rates.size() % 2 == 0) {
        median = (rates.get(rates.size() / 2 - 1) + rates.get(rates.size() / 2)) / 2;
      }
      double share = g.stream().mapToDouble(r -> r.raw().get(1).perSecond()).average().orElse(1);
      double update = g.stream().mapToDouble(r -> r.raw().get(2).perSecond()).average().orElse(1);
      Result r = g.get(0);
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %,.0f | %,.0f | %.0f%% | %.0f%% |%n",
              r.variant().name().isEmpty() ? "this build" : r.variant().name(),
              r.workers(),
              g.size(),
              rates.get(0),
              median,
              100 * median / share,
              100 * median / (update / 3)));
    }
    Result last = results.get(results.size() - 1);
    sb.append("\nKafka records per job by topic, last run: ");
    List<String> parts = new ArrayList<>();
    last.records()
        .forEach(
            (t, n) ->
                parts.add(String.format(Locale.ROOT, "`%s` %.2f", t, n / (double) last.jobs())));
    sb.append(String.join(", ", parts)).append(".\n");
    if (!last.profile().isEmpty()) {
      sb.append(
          "\nWhere the coordinator's CPU went in the last run (Java Flight Recorder samples):\n\n");
      last.profile().forEach(l -> sb.append(l).append('\n'));
    }
    sb.append("\nThe most frequent statements of the last run (pg_stat_statements):\n\n");
    sb.append("| calls | total ms | rows | statement |\n|---|---|---|---|\n");
    last.topStatements().forEach(s -> sb.append(s).append('\n'));
    return sb.toString();
  }
}
