package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turbofarm.testservices.ComposeServices;
import dev.turbofarm.testservices.NeedsTestServices;
import dev.turbofarm.testservices.TestServices;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole farm as processes, as {@code ./farm up} runs it: broker, PostgreSQL, coordinator and
 * two workers on the bundled pipeline, checked from outside over HTTP, JDBC and the result files.
 *
 * <p>{@code -Dfarm.it.pipeline=instant} runs the same plumbing with the benchmark stub; the checks
 * that only mean something for a real model (warm first job) are then skipped. With {@code
 * -Dturbofarm.test.services=containers} the farm uses the broker and database images of
 * docker-compose.yml (Testcontainers) instead of starting its own; skipped without Docker.
 *
 * <p>The tests do not depend on each other's order: the first jobs after start, which one test
 * judges, are sent and recorded when the farm starts, before any test runs.
 */
@NeedsTestServices
class FarmIT {
  private static final String PIPELINE = System.getProperty("farm.it.pipeline", "bundled");

  /**
   * One job's wait, s: a draft image renders in seconds on CPU; two workers and a queue add little.
   */
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(300);

  private static final Duration POLL = Duration.ofMillis(50);

  /**
   * What the check enforces: no cold start on the first job (without warm-up it is 3 to 6 times
   * slower; the mean over the workers measured 0.94x to 1.26x across loads). The target of
   * 1.1 is measured over several fresh farms by {@code farm bench first-job} (docs/benchmarks.md):
   * one sample per worker in one test run is too noisy on a shared 2-core VM to hold it to 1.1.
   */
  private static final double FIRST_JOB_SLACK = 1.5;

  /**
   * Same seed, batch or not: 8-bit pixels may differ by one level (float noise in batched
   * convolution).
   */
  private static final int PIXEL_TOLERANCE = 1;

  /** First-job check: draft jobs sent one after another right after start. */
  private static final int FIRST_JOBS = 16;

  private static Farm farm;
  private static FarmClient client;

  /** Who rendered each of the first {@link #FIRST_JOBS} jobs, and how long, in order. */
  private static List<FirstJobBench.Render> firstRenders;

  @BeforeAll
  static void startFarm() throws IOException {
    Path home = Path.of(System.getProperty("farm.home", "..")).toAbsolutePath().normalize();
    // Under target/ so the logs survive a failed run for reading, and mvn clean removes them.
    Path data =
        home.resolve(
            "launcher/target/farm-it-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(data);
    FarmOptions options =
        FarmOptions.defaults(home).withDataDir(data).withFreePorts().withWorkers(2);
    if (TestServices.chosen() == TestServices.Kind.CONTAINERS) {
      // Skipped here (an assumption) when no Docker engine answers.
      TestServices s = TestServices.shared();
      options =
          options.withExternalServices(
              new FarmOptions.ExternalServices(
                  s.bootstrapServers(),
                  s.jdbcUrl(ComposeServices.POSTGRES_DB),
                  s.username(),
                  s.password()));
    }
    farm = Farm.start(options.withPipeline(PIPELINE));
    client = farm.client();
    // Before any test: the workers have rendered nothing but their own and the farm's warm-up.
    // Jobs go one after another (batch size 1 each).
    firstRenders = FirstJobBench.renders(client, FIRST_JOBS, "farm-it");
  }

  @AfterAll
  static void stopFarm() {
    if (farm != null) {
      farm.close();
    }
  }

  @Test
  void keysForPeopleThroughTheCliAndTheLocalAdminKeyFile() throws Exception {
    // The farm's own admin key: under the data dir, readable by its owner only.
    Path keyFile = farm.adminKeyFile();
    assertThat(Files.getPosixFilePermissions(keyFile))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(keyFile).strip()).isEqualTo(farm.adminKey());
    String url = farm.coordinatorUrl().toString();
    String dataDir = farm.options().dataDir().toString();
    String team = "farm-it-keys";
    // The CLI finds the admin key through --data-dir, as it does ./farm-data by default.
    Cli created =
        cli(
            "keys",
            "create",
            "--team",
            team,
            "--role",
            "submitter",
            "--name",
            "FarmIT",
            "--expires",
            "1d",
            "--url",
            url,
            "--data-dir",
            dataDir);
    assertThat(created.code()).as(created.err()).isZero();
    String secret = created.out().strip();
    assertThat(secret).startsWith("tf_");
    FarmClient submitter = new FarmClient(farm.coordinatorUrl(), secret);
    FarmClient.Answer ok =
        submitter.post("/api/v1/jobs", "{\"prompt\":\"a red mug\",\"profile\":\"draft\"}");
    assertThat(ok.status()).isEqualTo(202);
    assertThat(ok.body().path("team").asText()).isEqualTo(team);
    assertThat(
            submitter
                .post("/api/v1/jobs", "{\"prompt\":\"a red mug\",\"team\":\"someone-else\"}")
                .status())
        .isEqualTo(403);
    assertThat(submitter.get("/api/v1/admin/workers").status()).isEqualTo(403);
    Cli list = cli("keys", "list", "--url", url, "--api-key", farm.adminKey());
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("FarmIT").contains(team).doesNotContain(secret);
    String id =
        list.out()
            .lines()
            .filter(l -> l.contains("FarmIT"))
            .findFirst()
            .orElseThrow()
            .split(" ")[0];
    assertThat(cli("keys", "revoke", id, "--url", url, "--data-dir", dataDir).code()).isZero();
    assertThat(submitter.get("/api/v1/profiles").status()).isEqualTo(401);
    // No key at all: 401 on the API; health stays reachable on the management port.
    assertThat(new FarmClient(farm.coordinatorUrl(), "none").get("/api/v1/profiles").status())
        .isEqualTo(401);
    assertThat(new FarmClient(farm.managementUrl(), "none").get("/q/health/ready").status())
        .isEqualTo(200);
  }

  private record Cli(int code, String out, String err) {}

  /** Runs a farm command in this JVM, capturing its output. */
  private static synchronized Cli cli(String... args) {
    java.io.PrintStream oldOut = System.out;
    java.io.PrintStream oldErr = System.err;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    try {
      System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      int code = new picocli.CommandLine(new FarmCli()).execute(args);
      return new Cli(
          code,
          out.toString(java.nio.charset.StandardCharsets.UTF_8),
          err.toString(java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void theFirstJobAfterStartIsAsFastAsLaterOnes() {
    // Each worker's first job is compared with that worker's later jobs (workers on a shared VM
    // differ in speed); the jobs were sent at start (startFarm).
    List<FirstJobBench.Render> renders = firstRenders;
    System.out.println("FarmIT render ms per job, in order: " + renders);
    assumeTrue(!"instant".equals(PIPELINE), "the instant stub does not render: " + renders);
    Map<String, Double> ratios = FirstJobBench.ratios(renders);
    assertThat(ratios).as("workers with a first and a later job (%s)", renders).isNotEmpty();
    // One first job per worker is one sample at the mercy of a shared VM's scheduling (later jobs
    // vary by +-20 % here); the mean over the workers is held to the no-cold-start bound, and
    // `farm bench first-job` measures the ratio over fresh farms against the 1.1 target.
    double mean = ratios.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    System.out.printf(
        "FarmIT first job / later median of the same worker: %s, mean %.2fx (target %.2fx)%n",
        ratios, mean, FirstJobBench.TARGET);
    assertThat(mean)
        .as("first / later median per worker %s (renders in order: %s)", ratios, renders)
        .isLessThanOrEqualTo(FIRST_JOB_SLACK);
  }

  @Test
  void aJobSucceedsWithItsPngOnDiskAndItsImageRowAndSeedInPostgres() throws Exception {
    JsonNode done =
        client.awaitDone(
            client.submit(job("a red mug on a white background, studio photo", 4242L)),
            JOB_TIMEOUT,
            POLL);
    assertSucceeded(done);
    JsonNode img = done.path("images").path(0);
    Path png = Demo.resolve(farm.resultRoot(), img.path("path").asText());
    assertThat(png).isRegularFile();
    assertThat(ImageIO.read(png.toFile())).as("a decodable PNG at %s", png).isNotNull();
    assertThat(img.path("seed").asLong()).isEqualTo(4242L);

    Map<Integer, Long> rows = imageRows(done.path("id").asText());
    assertThat(rows).containsExactly(Map.entry(0, 4242L));
    try (Connection c = db();
        PreparedStatement q =
            c.prepareStatement("SELECT state, completed_at FROM job WHERE id = ?")) {
      q.setObject(1, UUID.fromString(done.path("id").asText()));
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(rs.getTimestamp("completed_at")).isNotNull();
      }
    }
  }

  @Test
  void countFourGivesFourImagesWithDistinctSeedsAndFiles() throws Exception {
    ObjectNode req = job("a green t-shirt on a grey background, flat lay product photo", null);
    req.put("count", 4);
    JsonNode done = client.awaitDone(client.submit(req), JOB_TIMEOUT, POLL);
    assertSucceeded(done);
    assertThat(done.path("images")).hasSize(4);
    Set<Long> seeds = new HashSet<>();
    Set<Path> files = new HashSet<>();
    for (JsonNode img : done.path("images")) {
      seeds.add(img.path("seed").asLong());
      Path p = Demo.resolve(farm.resultRoot(), img.path("path").asText());
      assertThat(p).isRegularFile();
      files.add(p);
    }
    assertThat(seeds).hasSize(4);
    assertThat(files).hasSize(4);
    Map<Integer, Long> rows = imageRows(done.path("id").asText());
    assertThat(rows.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(new HashSet<>(rows.values())).isEqualTo(seeds);
  }

  @Test
  void theSamePromptSettingsAndSeedGiveTheSameImage() throws Exception {
    ObjectNode req = job("a yellow lamp on a wood background, product photo", 777L);
    JsonNode a = client.awaitDone(client.submit(req), JOB_TIMEOUT, POLL);
    JsonNode b = client.awaitDone(client.submit(req), JOB_TIMEOUT, POLL);
    assertSucceeded(a);
    assertSucceeded(b);
    BufferedImage ia =
        ImageIO.read(
            Demo.resolve(farm.resultRoot(), a.path("images").path(0).path("path").asText())
                .toFile());
    BufferedImage ib =
        ImageIO.read(
            Demo.resolve(farm.resultRoot(), b.path("images").path(0).path("path").asText())
                .toFile());
    assertThat(ia.getWidth()).isEqualTo(ib.getWidth());
    assertThat(ia.getHeight()).isEqualTo(ib.getHeight());
    assertThat(maxChannelDifference(ia, ib)).isLessThanOrEqualTo(PIXEL_TOLERANCE);
  }

  @Test
  void aWidthThatIsNotAMultipleOf64IsA400ProblemNamingWidth() {
    ObjectNode req = job("a black handbag on a white background", 1L);
    req.put("width", 1000);
    FarmClient.Answer a = client.post("/api/v1/jobs", req.toString());
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.contentType()).startsWith("application/problem+json");
    assertThat(a.raw()).contains("width");
  }

  private static ObjectNode job(String prompt, Long seed) {
    ObjectNode j = FarmClient.json().createObjectNode();
    j.put("prompt", prompt);
    j.put("profile", "draft");
    j.put("team", "farm-it");
    if (seed != null) {
      j.put("seed", seed);
    }
    return j;
  }

  private static void assertSucceeded(JsonNode job) {
    assertThat(job.path("state").asText())
        .as("job %s (reason %s); logs in %s", job.path("id"), job.path("reason"), farm.logDir())
        .isEqualTo("SUCCEEDED");
  }

  private static Connection db() throws SQLException {
    return DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword());
  }

  /** idx -> seed of the image rows of a job. */
  private static Map<Integer, Long> imageRows(String jobId) throws SQLException {
    Map<Integer, Long> rows = new HashMap<>();
    try (Connection c = db();
        PreparedStatement q =
            c.prepareStatement("SELECT idx, seed FROM image WHERE job_id = ? ORDER BY idx")) {
      q.setObject(1, UUID.fromString(jobId));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getInt("idx"), rs.getLong("seed"));
        }
      }
    }
    return rows;
  }

  static int maxChannelDifference(BufferedImage a, BufferedImage b) {
    int max = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int pa = a.getRGB(x, y);
        int pb = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          max = Math.max(max, Math.abs(((pa >> shift) & 0xff) - ((pb >> shift) & 0xff)));
        }
      }
    }
    return max;
  }
}
