package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.sun.net.httpserver.HttpServer;
import dev.turbofarm.coordinator.webhook.service.WebhookSignature;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Bulk catalogues on real parts: intake by COPY, row errors with line numbers, fair share between
 * two teams with an in-JVM worker on the instant pipeline, cancel, quota, priorities, progress
 * events, the manifest and the webhook. The 100k intake and the fair-share test pause dispatch
 * while they queue, so what the latter measures is the dispatcher's choice, not arrival order.
 * Tests run in any order: each uses teams of its own ({@link #team}), and each pause is resumed.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class BatchFlowTest {
  private static Path resultRoot;

  /** The shared in-JVM worker (see TestWorker): one share-group member for every test class. */
  static synchronized void ensureWorker() {
    resultRoot = TestWorker.ensureStarted();
  }

  /** A team name no other test uses, so counts and quotas are this test's own. */
  static String team(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Holds dispatch so that what a test queues is all QUEUED before any of it goes out. */
  static void pauseDispatch() {
    asAdmin()
        .contentType("application/json")
        .body("{\"reason\":\"BatchFlowTest\"}")
        .when()
        .post("/api/v1/admin/dispatch/pause")
        .then()
        .statusCode(200);
  }

  static void resumeDispatch() {
    asAdmin().when().post("/api/v1/admin/dispatch/resume").then().statusCode(200);
  }

  /** A catalogue of n small, fast jobs: 256x256, 1 step. */
  static String csv(String prefix, int n) {
    StringBuilder sb = new StringBuilder("sku,prompt,width,height,steps\n");
    for (int i = 1; i <= n; i++) {
      sb.append(prefix)
          .append('-')
          .append(i)
          .append(",a red mug on a white background,256,256,1\n");
    }
    return sb.toString();
  }

  /** Posts a CSV catalogue; {@code query} is "k=v&k=v" (values may hold braces: not a path). */
  static JsonPath submitCsv(String body, String query, int status) {
    return withQuery(asTeamOf(query), query)
        .contentType("text/csv")
        .body(body)
        .when()
        .post("/api/v1/batches")
        .then()
        .statusCode(status)
        .extract()
        .jsonPath();
  }

  /** The submitter key of the query's {@code team}, or the admin key when it names none. */
  static io.restassured.specification.RequestSpecification asTeamOf(String query) {
    for (String kv : (query.startsWith("?") ? query.substring(1) : query).split("&")) {
      if (kv.startsWith("team=")) {
        return TestKeys.asSubmitter(kv.substring("team=".length()));
      }
    }
    return asAdmin();
  }

  static io.restassured.specification.RequestSpecification withQuery(
      io.restassured.specification.RequestSpecification spec, String query) {
    String q = query.startsWith("?") ? query.substring(1) : query;
    for (String kv : q.split("&")) {
      if (!kv.isEmpty()) {
        int eq = kv.indexOf('=');
        spec = spec.queryParam(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return spec;
  }

  static void cancel(String id) {
    asAdmin().when().post("/api/v1/batches/" + id + "/cancel").then().statusCode(200);
  }

  @Test
  void twoTeamsOfEqualWeightShareTheFirstImages() throws Exception {
    ensureWorker();
    String teamA = team("team-a");
    String teamB = team("team-b");
    String a;
    String b;
    pauseDispatch();
    try {
      a = submitCsv(csv("A", 2000), "?team=" + teamA, 202).getString("id");
      b = submitCsv(csv("B", 2000), "?team=" + teamB, 202).getString("id");
    } finally {
      resumeDispatch();
    }
    List<String> first;
    try {
      first =
          await()
              .alias("400 images rendered within 120 s")
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> firstImagesTeams(List.of(a, b), 400), teams -> teams.size() >= 400);
    } finally {
      cancel(a);
      cancel(b);
    }
    assertThat(first).hasSize(400);
    long countA = first.stream().filter(teamA::equals).count();
    System.out.printf(
        "fair share: first 400 images: team-a %d, team-b %d (%.1f%% / %.1f%%)%n",
        countA, 400 - countA, countA / 4.0, (400 - countA) / 4.0);
    assertThat(countA).as("team-a's share of the first 400 images").isBetween(160L, 240L);
  }

  @Test
  void hundredThousandRowsAreOneAcceptedBatchOfQueuedJobs() throws Exception {
    StringBuilder sb = new StringBuilder(8_000_000).append("sku,color,product,background\n");
    String[] colors = {"red", "blue", "green", "yellow", "black", "orange", "purple", "pink"};
    String[] products = {"mug", "sneaker", "t-shirt", "bottle", "handbag", "lamp"};
    for (int i = 0; i < 100_000; i++) {
      sb.append("SKU-")
          .append(i)
          .append(',')
          .append(colors[i % 8])
          .append(',')
          .append(products[i % 6])
          .append(",white\n");
    }
    String id = null;
    pauseDispatch();
    try {
      long t0 = System.nanoTime();
      JsonPath r =
          submitCsv(
              sb.toString(),
              "?team="
                  + team("bulk-100k")
                  + "&template="
                  + "a {color} {product} on a {background} background",
              202);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          "intake: 100,000-row CSV (%d bytes) answered 202 in %d ms (server intake %d ms)%n",
          sb.length(), ms, r.getLong("intakeMs"));
      assertThat(r.getInt("accepted")).isEqualTo(100_000);
      assertThat(r.getInt("rejectedCount")).isZero();
      id = r.getString("id");
      Map<String, Long> states = statesOf(id);
      // Dispatch is paused: every row is a QUEUED job.
      assertThat(states.getOrDefault("QUEUED", 0L)).isEqualTo(100_000L);
      try (Connection c = db();
          PreparedStatement ps =
              c.prepareStatement("SELECT prompt FROM job WHERE batch_id = ? AND sku = 'SKU-7'")) {
        ps.setObject(1, UUID.fromString(id));
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("a pink sneaker on a white background");
        }
      }
      JsonPath cancelled =
          asAdmin()
              .when()
              .post("/api/v1/batches/" + id + "/cancel")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(cancelled.getLong("jobs.queued")).isZero();
      assertThat(cancelled.getLong("jobs.cancelled")).isEqualTo(100_000L);
    } finally {
      if (id != null) {
        // Leaves no 100k backlog behind for other tests, whatever failed above.
        cancel(id);
      }
      resumeDispatch();
    }
  }

  @Test
  void threeBadRowsRejectAllOrAcceptTheOthers() throws Exception {
    StringBuilder sb = new StringBuilder("sku,prompt,count,seed\n");
    for (int i = 1; i <= 1000; i++) {
      String row;
      if (i == 100) {
        row = "R-" + i + ",a blue bottle,9,";
      } else if (i == 500) {
        row = "R-" + i + ",,1,";
      } else if (i == 900) {
        row = "R-" + i + ",a black lamp,1,-5";
      } else {
        row = "R-" + i + ",a green t-shirt on a grey background,1,";
      }
      sb.append(row).append('\n');
    }
    String body = sb.toString();
    String rejected = team("rejected");
    asAdmin()
        .contentType("text/csv")
        .body(body)
        .when()
        .post("/api/v1/batches?team=" + rejected)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("accepted", equalTo(0))
        .body("rejectedCount", equalTo(3))
        .body("rejected.line", org.hamcrest.Matchers.contains(101, 501, 901))
        .body("rejected.field", org.hamcrest.Matchers.contains("count", "prompt", "seed"));
    assertThat(jobCount(rejected)).as("reject-all stores nothing").isZero();

    JsonPath ok = submitCsv(body, "?mode=accept-valid&team=" + team("partial"), 202);
    assertThat(ok.getInt("accepted")).isEqualTo(997);
    assertThat(ok.getList("rejected.line")).containsExactly(101, 501, 901);
    cancel(ok.getString("id"));
  }

  @Test
  void templatesJsonLinesAndJsonArraysAndBadParameters() throws Exception {
    String tpl = team("tpl");
    String ndjson =
        "{\"sku\":\"N-1\",\"color\":\"red\",\"product\":\"mug\"}\n"
            + "{\"sku\":\"N-2\",\"color\":\"blue\"}\n"
            + "not json\n";
    withQuery(asAdmin(), "template={color} {product} on wood&mode=accept-valid&team=" + tpl)
        .contentType("application/x-ndjson")
        .body(ndjson.getBytes(StandardCharsets.UTF_8))
        .when()
        .post("/api/v1/batches")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(1))
        .body("rejected.line", org.hamcrest.Matchers.contains(2, 3))
        .body("rejected.field", org.hamcrest.Matchers.contains("product", "row"));

    String json =
        "[{\"sku\":\"J-1\",\"prompt\":\"a yellow lamp\",\"profile\":\"portrait\",\"count\":2}]";
    String id =
        asAdmin()
            .contentType("application/json")
            .body(json)
            .when()
            .post("/api/v1/batches?team=" + tpl)
            .then()
            .statusCode(202)
            .body("images", equalTo(2))
            .extract()
            .path("id");
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement("SELECT width, height, priority, sku FROM job WHERE batch_id = ?")) {
      ps.setObject(1, UUID.fromString(id));
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(576);
        assertThat(rs.getInt(2)).isEqualTo(1024);
        assertThat(rs.getInt(3)).as("bulk priority").isZero();
        assertThat(rs.getString(4)).isEqualTo("J-1");
      }
    }
    cancel(id);

    String upload =
        asAdmin()
            .multiPart(
                "file",
                "cat.csv",
                "sku,prompt\nM-1,a green lamp\n".getBytes(StandardCharsets.UTF_8),
                "text/csv")
            .multiPart("team", tpl)
            .multiPart("profile", "draft")
            .when()
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .body("accepted", equalTo(1))
            .body("team", equalTo(tpl))
            .extract()
            .path("id");
    cancel(upload);

    asAdmin()
        .contentType("text/csv")
        .body("sku,prompt\nX,a mug\n")
        .when()
        .post("/api/v1/batches?count=lots&mode=sometimes")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("count"))
        .body("errors.field", hasItem("mode"));
    asAdmin()
        .contentType("text/csv")
        .body("")
        .when()
        .post("/api/v1/batches")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    asAdmin()
        .contentType("text/csv")
        .body("sku,prompt\nX,\"broken\n")
        .when()
        .post("/api/v1/batches")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    asAdmin()
        .when()
        .get("/api/v1/batches/" + UUID.randomUUID())
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  void quotaOnQueuedJobsIsA429() throws Exception {
    // The one team with a quota in the test configuration; no other test uses it.
    long before = jobCount("tiny-team");
    // tiny-team may hold 5 queued jobs (test application.properties); 6 in one batch is over.
    asAdmin()
        .contentType("text/csv")
        .body(csv("Q", 6))
        .when()
        .post("/api/v1/batches?team=tiny-team")
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .body("detail", containsString("tiny-team"));
    assertThat(jobCount("tiny-team")).isEqualTo(before);

    // Single jobs count against the same quota: with 5 queued, the sixth is a 429.
    pauseDispatch();
    try {
      String id = submitCsv(csv("Q", 5), "?team=tiny-team", 202).getString("id");
      asAdmin()
          .contentType("application/json")
          .body("{\"prompt\":\"a red mug\",\"team\":\"tiny-team\"}")
          .when()
          .post("/api/v1/jobs")
          .then()
          .statusCode(429)
          .contentType("application/problem+json");
      cancel(id);
    } finally {
      resumeDispatch();
    }
  }

  @Test
  void singleJobOvertakesQueuedBulkWork() throws Exception {
    ensureWorker();
    String batch = submitCsv(csv("P", 1500), "?team=" + team("bulky"), 202).getString("id");
    String job =
        asAdmin()
            .contentType("application/json")
            .body(
                "{\"prompt\":\"a purple handbag outdoors\",\"width\":256,\"height\":256,\"steps\":1}")
            .when()
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    JsonPath done = JobFlowTest.awaitTerminal(job);
    assertThat(done.getString("state")).isEqualTo("SUCCEEDED");
    long queued =
        asAdmin()
            .when()
            .get("/api/v1/batches/" + batch)
            .then()
            .extract()
            .jsonPath()
            .getLong("jobs.queued");
    assertThat(queued).as("bulk jobs still queued when the single job finished").isPositive();
    cancel(batch);
  }

  @Test
  void smallBatchCompletesWithManifestEventsAndSignedWebhook() throws Exception {
    ensureWorker();
    BlockingQueue<String[]> hooks = new ArrayBlockingQueue<>(4);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int[] calls = {0};
    server.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          // The first call fails: the coordinator must retry.
          int status = calls[0]++ == 0 ? 503 : 200;
          if (status == 200) {
            hooks.add(
                new String[] {
                  new String(body, StandardCharsets.UTF_8),
                  ex.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER),
                  ex.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER),
                  ex.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER)
                });
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
    try {
      String csv =
          "sku,product,color,count\nS-1,mug,red,2\nS-2,lamp,blue,\nS-3,\"sneaker, canvas\",green,1\n";
      String hook = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
      String small = team("small");
      String id =
          submitCsv(
                  csv,
                  "?team=" + small + "&profile=draft&template=a {color} {product}&webhook=" + hook,
                  202)
              .getString("id");

      List<String> events = sse(id);
      assertThat(events).isNotEmpty();
      assertThat(events.get(events.size() - 1)).contains("\"done\":true");

      asAdmin()
          .when()
          .get("/api/v1/batches/" + id)
          .then()
          .statusCode(200)
          .body("state", equalTo("COMPLETED"))
          .body("jobs.succeeded", equalTo(3))
          .body("images.done", equalTo(4));

      String manifest =
          asAdmin()
              .when()
              .get("/api/v1/batches/" + id + "/manifest")
              .then()
              .statusCode(200)
              .contentType(containsString("text/csv"))
              .extract()
              .asString();
      List<String> lines = manifest.lines().toList();
      assertThat(lines.get(0))
          .isEqualTo(
              "sku,job_id,image_index,path,seed,profile,size,quality,state,reason,url,thumbnail_url,"
                  + "sha256,verdict,rating");
      assertThat(lines).hasSize(5);
      assertThat(lines.get(1)).startsWith("S-1,");
      assertThat(lines.get(2)).startsWith("S-1,").contains(",1,");
      assertThat(lines.get(4)).startsWith("S-3,");
      for (String line : lines.subList(1, lines.size())) {
        String[] cols = line.split(",");
        assertThat(cols[8]).isEqualTo("SUCCEEDED");
        assertThat(cols[6]).isEqualTo("512x512");
        assertThat(Path.of(cols[3])).exists();
      }
      String jsonl =
          asAdmin()
              .when()
              .get("/api/v1/batches/" + id + "/manifest?format=jsonl")
              .then()
              .statusCode(200)
              .extract()
              .asString();
      assertThat(jsonl.lines()).hasSize(4);
      assertThat(JsonPath.from(jsonl.lines().findFirst().orElseThrow()).getString("sku"))
          .isEqualTo("S-1");

      String[] hookCall = hooks.poll(30, TimeUnit.SECONDS);
      assertThat(hookCall).as("webhook delivered after one failed attempt").isNotNull();
      assertThat(hookCall[0]).contains(id).contains("COMPLETED");
      // Standard Webhooks, keyed by the team's own secret (made on its first webhook).
      String secret =
          asAdmin()
              .when()
              .get("/api/v1/admin/teams/" + small + "/webhook-secret")
              .then()
              .statusCode(200)
              .extract()
              .path("secret");
      assertThat(hookCall[2]).isEqualTo("batch_" + id);
      assertThat(hookCall[1])
          .isEqualTo(
              WebhookSignature.sign(
                  secret,
                  hookCall[2],
                  Long.parseLong(hookCall[3]),
                  hookCall[0].getBytes(StandardCharsets.UTF_8)));
      assertThat(calls[0]).isEqualTo(2);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void sampleCatalogueRendersWithAManifestWhosePathsExist() throws Exception {
    ensureWorker();
    String csv = Files.readString(Path.of("../samples/catalogue.csv"));
    JsonPath r = submitCsv(csv, "?team=" + team("samples") + "&profile=draft&name=sample", 202);
    assertThat(r.getInt("accepted")).isEqualTo(300);
    String id = r.getString("id");
    JsonPath b =
        await()
            .alias("batch " + id + " done")
            .atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    asAdmin()
                        .when()
                        .get("/api/v1/batches/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                batch -> batch.getBoolean("done"));
    assertThat(b.getString("state")).isEqualTo("COMPLETED");
    String manifest =
        asAdmin()
            .when()
            .get("/api/v1/batches/" + id + "/manifest")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<String> lines = manifest.lines().skip(1).toList();
    assertThat(lines).hasSize(r.getInt("images"));
    for (String line : lines) {
      String path = line.split(",")[3];
      assertThat(Path.of(path)).as(line).exists();
    }
  }

  /** Reads the batch's event stream to its end (bounded), returning each event's data. */
  private static List<String> sse(String id) throws Exception {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/batches/" + id + "/events"))
            .header("Accept", "text/event-stream")
            .header("Authorization", TestKeys.bearer(TestKeys.admin()))
            .timeout(Duration.ofSeconds(90))
            .build();
    HttpResponse<java.io.InputStream> r =
        HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> data = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("data:")) {
          data.add(line.substring(5).trim());
        }
      }
    }
    return data;
  }

  private static List<String> firstImagesTeams(List<String> batches, int n) throws Exception {
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT j.team FROM image i JOIN job j ON j.id = i.job_id"
                    + " WHERE j.batch_id = ANY (?) ORDER BY i.created_at, i.job_id LIMIT ?")) {
      ps.setArray(1, c.createArrayOf("uuid", batches.stream().map(UUID::fromString).toArray()));
      ps.setInt(2, n);
      List<String> teams = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          teams.add(rs.getString(1));
        }
      }
      return teams;
    }
  }

  private static Map<String, Long> statesOf(String batch) throws Exception {
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT state, count(*) FROM job WHERE batch_id = ? GROUP BY state")) {
      ps.setObject(1, UUID.fromString(batch));
      Map<String, Long> m = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          m.put(rs.getString(1), rs.getLong(2));
        }
      }
      return m;
    }
  }

  private static long jobCount(String team) throws Exception {
    try (Connection c = db();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM job WHERE team = ?")) {
      ps.setString(1, team);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Connection db() throws Exception {
    return FarmServicesResource.superuser();
  }
}
