package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Analyst speed on a large history: generates synthetic image rows (explorations, their variants
 * from the default seed pool, refines, reviews; English, Chinese and mixed prompts; spread over
 * {@code --days}), loads them by COPY, rolls the closed days up, then times the three analyst
 * queries through the REST API: a filtered history page, the summary by profile and steps over 30
 * days, and the seed ranking. Checks that the API's summary equals SQL over the same rows.
 */
@Command(
    name = "analytics",
    mixinStandardHelpOptions = true,
    description =
        "Generate N synthetic image rows (COPY), then p95 of the history page, the 30-day summary and the seed ranking through the API; appends to docs/benchmarks.md.")
public final class AnalyticsBench implements Callable<Integer> {
  @Mixin FarmCli.FarmArgs args;

  @Option(
      names = "--rows",
      defaultValue = "1000000",
      description = "image rows (default ${DEFAULT-VALUE})")
  int rows;

  @Option(
      names = "--days",
      defaultValue = "90",
      description =
          "days of history the rows spread over, today included (default ${DEFAULT-VALUE})")
  int days;

  @Option(
      names = "--runs",
      defaultValue = "30",
      description = "timed requests per query, after 5 warm-ups (default ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--no-append", description = "do not append to docs/benchmarks.md")
  boolean noAppend;

  private static final String MISMATCH = "**MISMATCH**";

  /** The generator's seed: the same rows on every run. */
  static final long SEED = 12;

  static final String[] TEAMS = {
    "shop-a", "shop-b", "shop-c", "shop-d", "shop-e", "shop-f", "shop-g", "shop-h"
  };

  /** Teams' shares of the work: a few large catalogue teams, several small ones. */
  static final double[] TEAM_WEIGHT = {0.30, 0.20, 0.15, 0.10, 0.10, 0.06, 0.05, 0.04};

  static final String[][] COLORS = {
    {"red", "红色"}, {"blue", "蓝色"}, {"green", "绿色"}, {"yellow", "黄色"},
    {"black", "黑色"}, {"white", "白色"}, {"orange", "橙色"}, {"purple", "紫色"}
  };
  static final String[][] PRODUCTS = {
    {"mug", "马克杯"},
    {"sneaker", "运动鞋"},
    {"t-shirt", "T恤"},
    {"bottle", "水瓶"},
    {"handbag", "手提包"},
    {"lamp", "台灯"}
  };
  static final String[][] BACKGROUNDS = {
    {"a white background", "白色背景"},
    {"a wooden table", "木桌"},
    {"outdoors", "户外"},
    {"a grey studio", "灰色影棚"}
  };

  /** Size profiles: name, width, height, share of explorations. */
  static final Object[][] PROFILES = {
    {"draft", 512, 512, 0.40},
    {"concept-square", 768, 768, 0.35},
    {"article-landscape", 1024, 576, 0.15},
    {"portrait", 576, 1024, 0.10}
  };

  static final String[] MODELS = {"turbofarm-tiny@1.3", "turbofarm-tiny@1.4"};
  static final long[] POOL = {42, 123, 888, 2024, 9999};

  /** Each pool offset's pull on quality: some offsets are better than others. */
  static final double[] OFFSET_EFFECT = {0.03, 0.0, -0.02, 0.01, -0.03};

  @Override
  public Integer call() throws Exception {
    Path dataDir =
        args.dataDir != null
            ? args.dataDir.toAbsolutePath()
            : FarmCli.home().resolve("farm-data/bench/analytics-" + System.currentTimeMillis());
    FarmOptions o =
        args.options()
            .withWorkers(0)
            .withDataDir(dataDir)
            // The bench rolls up on purpose and times it; no scheduled pass in between.
            .withCoordinatorEnv(Map.of("TURBOFARM_ANALYTICS_ROLLUP_INTERVAL", "24h"));
    String command =
        "./farm bench analytics --rows " + rows + " --days " + days + " --runs " + runs;
    StringBuilder md = new StringBuilder();
    md.append("\n### Run ")
        .append(Instant.now())
        .append("\n\nCommand: `")
        .append(command)
        .append("`  \n");
    md.append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ")
        .append(System.getProperty("java.version"))
        .append(", load average at start ")
        .append(loadAverage())
        .append("\n\n");
    boolean ownDir = args.dataDir == null;
    boolean equal = false;
    try (Farm farm = Farm.start(o)) {
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      long t0 = System.nanoTime();
      Generated g = generate(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword(), today);
      long loadMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          Locale.ROOT,
          "generated %,d images (%,d jobs, %,d reviews) in %,d ms%n",
          g.images,
          g.jobs,
          g.reviews,
          loadMs);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      URI base = farm.coordinatorUrl();
      long t1 = System.nanoTime();
      JsonNode rolled = post(http, farm.adminKey(), base.resolve("/api/v1/admin/analytics/rollup"));
      long rollupMs = (System.nanoTime() - t1) / 1_000_000;
      System.out.printf(
          Locale.ROOT, "rolled up %d days in %,d ms%n", rolled.path("days").size(), rollupMs);

      Map<String, String> queries = new LinkedHashMap<>();
      queries.put(
          "history page: team, size profile, 30 days, quality >= 0.5, prompt 'mug', 50 rows",
          "/api/v1/analytics/images?team=shop-a&profile=concept-square&since=30d&qualityMin=0.5&prompt=mug&limit=50");
      queries.put(
          "history page: prompt '红色' (2 Chinese characters), 30 days, 50 rows",
          "/api/v1/analytics/images?since=30d&prompt=" + enc("红色") + "&limit=50");
      queries.put(
          "summary grouped by profile and steps, 30 days",
          "/api/v1/analytics/summary?groupBy=profile,steps&since=30d");
      queries.put(
          "seed ranking: prompt 'red mug', concept-square, 30 days",
          "/api/v1/analytics/seeds?prompt=" + enc("red mug") + "&profile=concept-square&since=30d");
      queries.put(
          "seed ranking: prompt 'red mug', concept-square, all " + days + " days",
          "/api/v1/analytics/seeds?prompt="
              + enc("red mug")
              + "&profile=concept-square&since="
              + days
              + "d");
      md.append(
          String.format(
              Locale.ROOT,
              "%,d image rows (%,d jobs, %,d reviews) over %d days, generated and loaded by COPY in %,d ms; %d closed days rolled up in %,d ms.%n%n",
              g.images,
              g.jobs,
              g.reviews,
              days,
              loadMs,
              rolled.path("days").size(),
              rollupMs));
      md.append(
          "| query (through the REST API) | rows in window | runs | min ms | median ms | p95 ms | < 200 ms p95 |\n|---|---|---|---|---|---|---|\n");
      for (Map.Entry<String, String> q : queries.entrySet()) {
        List<Long> ms = new ArrayList<>();
        JsonNode last = null;
        for (int run = 0; run < runs + 5; run++) {
          long s = System.nanoTime();
          last = getJson(http, farm.adminKey(), base.resolve(q.getValue()));
          long took = (System.nanoTime() - s) / 1_000_000;
          if (run >= 5) {
            ms.add(took);
          }
        }
        Collections.sort(ms);
        long p95 = ms.get((int) Math.ceil(0.95 * ms.size()) - 1);
        String rowsIn =
            q.getKey().contains("30 days")
                ? String.format(Locale.ROOT, "%,d", g.lastDays(30, today))
                : String.format(Locale.ROOT, "%,d", g.images);
        String line =
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %d | %d | %d | %s |%n",
                q.getKey(),
                rowsIn,
                ms.size(),
                ms.get(0),
                ms.get(ms.size() / 2),
                p95,
                p95 < 200 ? "yes" : "**no**");
        md.append(line);
        System.out.print(line);
        System.out.println("  answer: " + summarise(last));
      }
      String console = ConsolePagesBench.run(farm, runs);
      md.append(console);
      String exact = checkSummaryAgainstSql(http, base, farm, today);
      md.append("\n").append(exact).append("\n");
      System.out.println(exact);
      equal = !exact.contains(MISMATCH);
    } finally {
      if (ownDir) {
        deleteTree(dataDir);
      }
    }
    md.append(
        "\nTimes are wall clock at the client, HTTP included, on the build machine (the load"
            + " average above says how busy it was).\n");
    System.out.println(md);
    if (!noAppend) {
      Path doc = FarmCli.home().resolve("docs/benchmarks.md");
      if (!Files.readString(doc).contains("## Analyst queries")) {
        Files.writeString(
            doc,
            "\n## Analyst queries\n\n"
                + "`./farm bench analytics` generates synthetic image rows (explorations of 5 seeds, variants of"
                + " the best from the default pool, refines, reviews; English, Chinese and mixed prompts; 8 teams,"
                + " 4 size and 3 step profiles, 2 models) spread over the last `--days` days, loads them by COPY,"
                + " rolls the closed days up and times the analyst queries through the REST API, then the"
                + " console's pages signed in as an admin (a gallery of 2,000 of the generated jobs grouped"
                + " into one batch). It also checks"
                + " that the API's summary equals SQL over the same rows (docs/analytics.md).\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
      }
      Files.writeString(doc, md.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      System.out.println("appended to " + doc);
    }
    if (!equal) {
      System.err.println(
          "bench analytics: the API's summary differs from SQL over the same rows (above): a bug in"
              + " the analytics queries or rollups; nothing was wrong with the machine");
      return FarmCli.EXIT_FAILED;
    }
    return 0;
  }

  /** Removes the bench's own data directory: a million rows take a gigabyte or two. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String summarise(JsonNode body) {
    if (body.has("images")) {
      return body.path("images").size()
          + " images, next page "
          + (body.hasNonNull("next") ? "yes" : "no");
    }
    if (body.has("groups")) {
      return body.path("groups").size()
          + " groups, "
          + body.path("rolledDays").asInt()
          + " days from rollups, "
          + body.path("rowDays").asInt()
          + " from rows";
    }
    return body.path("seeds").size()
        + " seeds, "
        + body.path("offsets").size()
        + " offsets; best offset "
        + body.path("offsets").path(0).path("value").asText("-");
  }

  private static JsonNode getJson(HttpClient http, String key, URI uri)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofMinutes(2))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new FarmException("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
    }
    return FarmClient.parse(r.body());
  }

  private static JsonNode post(HttpClient http, String key, URI uri)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new FarmException("POST " + uri + " answered " + r.statusCode() + ": " + r.body());
    }
    return FarmClient.parse(r.body());
  }

  /** The API's 30-day summary by profile and steps against one SQL statement over the rows. */
  private String checkSummaryAgainstSql(HttpClient http, URI base, Farm farm, LocalDate today)
      throws Exception {
    JsonNode api =
        getJson(
            http,
            farm.adminKey(),
            base.resolve("/api/v1/analytics/summary?groupBy=profile,steps&since=30d"));
    Map<String, double[]> sql = new HashMap<>();
    long t0 = System.nanoTime();
    try (Connection c =
            DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword());
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT profile, steps, count(*), avg(quality), percentile_cont(0.5) WITHIN GROUP (ORDER BY quality),"
                    + " count(*) FILTER (WHERE verdict = 'approved'), count(*) FILTER (WHERE verdict = 'rejected'),"
                    + " percentile_cont(0.5) WITHIN GROUP (ORDER BY render_ms),"
                    + " percentile_cont(0.95) WITHIN GROUP (ORDER BY render_ms), avg(queue_wait_ms)"
                    + " FROM image WHERE created_at >= ? GROUP BY 1, 2")) {
      ps.setTimestamp(
          1, Timestamp.from(today.minusDays(29).atStartOfDay(ZoneOffset.UTC).toInstant()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double[] v = new double[8];
          for (int k = 0; k < 8; k++) {
            v[k] = rs.getDouble(3 + k);
          }
          sql.put(rs.getString(1) + "/" + rs.getInt(2), v);
        }
      }
    }
    long sqlMs = (System.nanoTime() - t0) / 1_000_000;
    int groups = 0;
    int exactFigures = 0;
    double worstMean = 0;
    List<String> mismatches = new ArrayList<>();
    for (JsonNode gr : api.path("groups")) {
      groups++;
      String key =
          gr.path("key").path("profile").asText() + "/" + gr.path("key").path("steps").asInt();
      double[] v = sql.get(key);
      if (v == null) {
        mismatches.add(key + " missing in SQL");
        continue;
      }
      double[] a = {
        gr.path("images").asDouble(), gr.path("meanQuality").asDouble(),
            gr.path("p50Quality").asDouble(),
        gr.path("approved").asDouble(), gr.path("rejected").asDouble(),
            gr.path("p50RenderMs").asDouble(),
        gr.path("p95RenderMs").asDouble(), gr.path("meanQueueWaitMs").asDouble()
      };
      for (int k = 0; k < 8; k++) {
        boolean mean = k == 1 || k == 7;
        double diff = Math.abs(a[k] - v[k]);
        if (mean) {
          worstMean = Math.max(worstMean, diff / Math.max(1e-300, Math.abs(v[k])));
          if (diff > 1e-9 * Math.abs(v[k])) {
            mismatches.add(key + " field " + k + ": API " + a[k] + " SQL " + v[k]);
          }
        } else if (a[k] != v[k]) {
          mismatches.add(key + " field " + k + ": API " + a[k] + " SQL " + v[k]);
        } else {
          exactFigures++;
        }
      }
    }
    if (groups != sql.size()) {
      mismatches.add("API has " + groups + " groups, SQL " + sql.size());
    }
    return String.format(
        Locale.ROOT,
        "Exactness: the API's 30-day summary by profile and steps against one SQL statement over the same rows (%d ms in SQL):"
            + " %d groups; counts, p50 quality and p50/p95 render ms bit-equal (%d figures); means within %.1e relative"
            + " (floating-point summation order). %s",
        sqlMs,
        groups,
        exactFigures,
        worstMean,
        mismatches.isEmpty() ? "**Equal.**" : MISMATCH + ": " + String.join("; ", mismatches));
  }

  // ---- the generator ----

  /** What the generator wrote. */
  static final class Generated {
    long jobs;
    long images;
    long reviews;
    final Map<LocalDate, Long> perDay = new HashMap<>();

    long lastDays(int n, LocalDate today) {
      long s = 0;
      for (int d = 0; d < n; d++) {
        s += perDay.getOrDefault(today.minusDays(d), 0L);
      }
      return s;
    }
  }

  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);

  /** A rendered image the generator may derive from. */
  record Made(UUID job, int index, long seed, double quality) {}

  /** Rows per COPY chunk sent to the server, characters. */
  private static final int CHUNK = 1 << 20;

  /** Writes {@link #rows} synthetic image rows (and their jobs and reviews) into a database. */
  Generated generate(String jdbcUrl, String user, String password, LocalDate today)
      throws SQLException {
    Generated g = new Generated();
    SplittableRandom rnd = new SplittableRandom(SEED);
    Instant start = today.minusDays(days - 1L).atStartOfDay(ZoneOffset.UTC).toInstant();
    long spanMs = Duration.between(start, Instant.now()).toMillis();
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // The generator writes jobs, images and reviews consistent with each other (the image's
        // verdict included), so triggers and foreign-key checks are off for this session's load.
        s.execute("SET session_replication_role = replica");
        s.execute("SET synchronous_commit = off");
      }
      PGConnection pg = c.unwrap(PGConnection.class);
      StringBuilder jobs = new StringBuilder(CHUNK + 4096);
      StringBuilder images = new StringBuilder(CHUNK + 4096);
      StringBuilder reviews = new StringBuilder(CHUNK + 4096);
      // Day by day, oldest first, as a real history grows: a day's rows sit together in the table.
      long perDay = (rows + days - 1) / days;
      int day = 0;
      while (g.images < rows) {
        if (g.images >= perDay * (day + 1) && day < days - 1) {
          day++;
        }
        // One session: explore 5 seeds, maybe variants of the best, maybe refine the best variant.
        int team = pick(rnd, TEAM_WEIGHT);
        Object[] prof = PROFILES[pick(rnd, new double[] {0.40, 0.35, 0.15, 0.10})];
        String model = MODELS[rnd.nextDouble() < 0.6 ? 0 : 1];
        int color = rnd.nextInt(COLORS.length);
        int product = rnd.nextInt(PRODUCTS.length);
        int bg = rnd.nextInt(BACKGROUNDS.length);
        double lang = rnd.nextDouble();
        String prompt =
            lang < 0.75
                ? "a "
                    + COLORS[color][0]
                    + " "
                    + PRODUCTS[product][0]
                    + " on "
                    + BACKGROUNDS[bg][0]
                    + ", studio photo"
                : lang < 0.95
                    ? COLORS[color][1] + PRODUCTS[product][1] + "，" + BACKGROUNDS[bg][1]
                    : COLORS[color][1] + " " + PRODUCTS[product][0] + " on " + BACKGROUNDS[bg][1];
        double ease = 0.55 + 0.05 * product / PRODUCTS.length + 0.1 * (color % 3) / 3;
        Instant dayStart = start.plus(Duration.ofDays(day));
        long dayMs =
            Math.min(Duration.ofDays(1).toMillis(), spanMs - Duration.ofDays(day).toMillis());
        Instant at = dayStart.plusMillis((long) (rnd.nextDouble() * Math.max(1, dayMs - 900_000)));
        List<Made> explored =
            job(
                g,
                rnd,
                jobs,
                images,
                reviews,
                TEAMS[team],
                prompt,
                prof,
                model,
                "explore",
                10,
                at,
                null,
                null,
                ease,
                0.05);
        if (rnd.nextDouble() < 0.6 && g.images < rows) {
          Made best = Collections.max(explored, Comparator.comparingDouble(Made::quality));
          List<Made> variants =
              job(
                  g,
                  rnd,
                  jobs,
                  images,
                  reviews,
                  TEAMS[team],
                  prompt,
                  prof,
                  model,
                  "explore",
                  10,
                  at.plusSeconds(300),
                  best,
                  POOL,
                  ease,
                  0.2);
          if (rnd.nextDouble() < 0.5 && g.images < rows) {
            Made bestVariant = Collections.max(variants, Comparator.comparingDouble(Made::quality));
            job(
                g,
                rnd,
                jobs,
                images,
                reviews,
                TEAMS[team],
                prompt,
                prof,
                model,
                "final",
                40,
                at.plusSeconds(900),
                bestVariant,
                null,
                ease + 0.08,
                0.8);
          }
        }
        if (jobs.length() > CHUNK || images.length() > CHUNK) {
          flush(pg, jobs, images, reviews);
        }
      }
      flush(pg, jobs, images, reviews);
      c.commit();
      try (Statement s = c.createStatement()) {
        c.setAutoCommit(true);
        s.execute("VACUUM ANALYZE job");
        s.execute("VACUUM ANALYZE image");
        s.execute("VACUUM ANALYZE image_review");
      }
    }
    return g;
  }

  private static void flush(
      PGConnection pg, StringBuilder jobs, StringBuilder images, StringBuilder reviews)
      throws SQLException {
    copy(
        pg,
        "COPY job (id, team, state, prompt, negative_prompt, profile, width, height, steps, guidance, seeds,"
            + " image_count, priority, attempt, created_at, dispatched_at, completed_at, model, step_profile,"
            + " parent_job_id, parent_idx, derivation) FROM STDIN",
        jobs);
    copy(
        pg,
        "COPY image (job_id, idx, storage_key, seed, width, height, steps, guidance, model_id, worker_id, batch_size,"
            + " queue_wait_ms, render_ms, quality, sharpness, attempt, created_at, finished_at, team, profile,"
            + " step_profile, prompt, parent_job_id, parent_idx, derivation, seed_offset, verdict, rating) FROM STDIN",
        images);
    copy(
        pg,
        "COPY image_review (job_id, idx, verdict, rating, reviewer, reviewed_at) FROM STDIN",
        reviews);
  }

  private static void copy(PGConnection pg, String sql, StringBuilder sb) throws SQLException {
    if (sb.length() == 0) {
      return;
    }
    CopyIn in = pg.getCopyAPI().copyIn(sql);
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    in.writeToCopy(b, 0, b.length);
    in.endCopy();
    sb.setLength(0);
  }

  /**
   * One job's rows. {@code parent} null: an exploration of 5 random seeds; with {@code pool}: a
   * variants job, one image per offset; else a refine of the parent's seed.
   */
  private List<Made> job(
      Generated g,
      SplittableRandom rnd,
      StringBuilder jobs,
      StringBuilder images,
      StringBuilder reviews,
      String team,
      String prompt,
      Object[] prof,
      String model,
      String stepProfile,
      int steps,
      Instant at,
      Made parent,
      long[] pool,
      double ease,
      double reviewShare) {
    UUID id = new UUID(rnd.nextLong(), rnd.nextLong());
    int w = (Integer) prof[1];
    int h = (Integer) prof[2];
    int n = parent == null ? 5 : pool != null ? pool.length : 1;
    long[] seeds = new long[n];
    for (int i = 0; i < n; i++) {
      seeds[i] =
          parent == null
              ? (i == 0 ? rnd.nextLong(0x1_0000_0000L) : (seeds[0] + i) % 0x1_0000_0000L)
              : pool != null ? (parent.seed() + pool[i]) % 0x1_0000_0000L : parent.seed();
    }
    String derivation = parent == null ? null : pool != null ? "variant" : "refine";
    String ts = TS.format(at);
    long renderMs = (long) ((double) w * h * steps * n / 2.0e6 * (0.9 + 0.2 * rnd.nextDouble()));
    StringBuilder seedArr = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      seedArr.append(i == 0 ? "" : ",").append(seeds[i]);
    }
    seedArr.append('}');
    jobs.append(id)
        .append('\t')
        .append(team)
        .append("\tSUCCEEDED\t")
        .append(prompt)
        .append("\t\t")
        .append(prof[0])
        .append('\t')
        .append(w)
        .append('\t')
        .append(h)
        .append('\t')
        .append(steps)
        .append("\t6.0\t")
        .append(seedArr)
        .append('\t')
        .append(n)
        .append("\t10\t1\t")
        .append(ts)
        .append('\t')
        .append(ts)
        .append('\t')
        .append(ts)
        .append('\t')
        .append(model)
        .append('\t')
        .append(stepProfile)
        .append('\t')
        .append(parent == null ? "\\N" : parent.job().toString())
        .append('\t')
        .append(parent == null ? "\\N" : Integer.toString(parent.index()))
        .append('\t')
        .append(derivation == null ? "\\N" : derivation)
        .append('\n');
    g.jobs++;
    LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
    List<Made> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double q =
          ease
              + (steps >= 30 ? 0.05 : 0)
              + (pool != null ? OFFSET_EFFECT[i] : 0)
              + 0.1 * gaussian(rnd);
      if (parent != null) {
        q = 0.5 * q + 0.5 * parent.quality();
      }
      q = Math.max(0, Math.min(1, q));
      String verdict = null;
      int rating = 0;
      if (rnd.nextDouble() < reviewShare) {
        verdict = q + 0.1 * gaussian(rnd) > 0.72 ? "approved" : "rejected";
        rating = Math.max(1, Math.min(5, (int) Math.round(q * 5)));
        reviews
            .append(id)
            .append('\t')
            .append(i)
            .append('\t')
            .append(verdict)
            .append('\t')
            .append(rating)
            .append("\tbench\t")
            .append(ts)
            .append('\n');
        g.reviews++;
      }
      long wait = (long) (-Math.log(1 - rnd.nextDouble()) * 2000);
      Long offset = parent == null ? null : pool != null ? pool[i] : 0L;
      images
          .append(id)
          .append('\t')
          .append(i)
          .append('\t')
          .append(id.toString(), 0, 2)
          .append('/')
          .append(id)
          .append('/')
          .append(i)
          .append(".png\t")
          .append(seeds[i])
          .append('\t')
          .append(w)
          .append('\t')
          .append(h)
          .append('\t')
          .append(steps)
          .append("\t6.0\t")
          .append(model)
          .append("\tbench-worker\t")
          .append(n)
          .append('\t')
          .append(wait)
          .append('\t')
          .append(renderMs)
          .append('\t')
          .append(q)
          .append('\t')
          .append(100 + 50 * q)
          .append("\t1\t")
          .append(ts)
          .append('\t')
          .append(ts)
          .append('\t')
          .append(team)
          .append('\t')
          .append(prof[0])
          .append('\t')
          .append(stepProfile)
          .append('\t')
          .append(prompt)
          .append('\t')
          .append(parent == null ? "\\N" : parent.job().toString())
          .append('\t')
          .append(parent == null ? "\\N" : Integer.toString(parent.index()))
          .append('\t')
          .append(derivation == null ? "\\N" : derivation)
          .append('\t')
          .append(offset == null ? "\\N" : offset.toString())
          .append('\t')
          .append(verdict == null ? "\\N" : verdict)
          .append('\t')
          .append(verdict == null ? "\\N" : Integer.toString(rating))
          .append('\n');
      g.images++;
      g.perDay.merge(day, 1L, Long::sum);
      out.add(new Made(id, i, seeds[i], q));
    }
    return out;
  }

  private static double gaussian(SplittableRandom rnd) {
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble()))
        * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  private static int pick(SplittableRandom rnd, double[] weights) {
    double r = rnd.nextDouble();
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
