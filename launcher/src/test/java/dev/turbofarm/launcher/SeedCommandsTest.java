package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The seed, review and history commands against a scripted coordinator: what they send, what they
 * print (aligned tables), and their exit codes.
 */
class SeedCommandsTest {
  private HttpServer server;
  private final Map<String, String> requests = new ConcurrentHashMap<>();

  private record Run(int code, String out, String err) {}

  private Run farm(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      // An explicit key: without one the commands would read FARM_API_KEY or ./farm-data's file,
      // which a fresh clone does not have.
      String[] all = new String[args.length + 4];
      System.arraycopy(args, 0, all, 0, args.length);
      all[args.length] = "--url";
      all[args.length + 1] = "http://127.0.0.1:" + server.getAddress().getPort();
      all[args.length + 2] = "--api-key";
      all[args.length + 3] = "tf_" + "s".repeat(43);
      int code = new CommandLine(new FarmCli()).execute(all);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Answers {@code path} with {@code status} and {@code body}, and remembers what it was sent. */
  private void script(String path, int status, String body) {
    server.createContext(
        path,
        ex -> {
          String sent = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String query = ex.getRequestURI().getRawQuery();
          requests.put(
              ex.getRequestMethod() + " " + path, sent + (query == null ? "" : "?" + query));
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders()
              .add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
          ex.sendResponseHeaders(status, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
  }

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void historyPrintsAnAlignedTable() {
    script(
        "/api/v1/analytics/summary",
        200,
        "{\"from\":\"2026-11-23\",\"to\":\"2026-11-29\",\"groupBy\":[\"profile\",\"steps\"],\"rolledDays\":6,\"rowDays\":1,"
            + "\"groups\":[{\"key\":{\"profile\":\"concept-square\",\"steps\":30},\"images\":1200,\"meanQuality\":0.8123,"
            + "\"p50Quality\":0.83,\"approved\":40,\"rejected\":10,\"approvalRate\":0.8,\"p50RenderMs\":5120.0,"
            + "\"p95RenderMs\":8000.5,\"meanQueueWaitMs\":1900.2},"
            + "{\"key\":{\"profile\":\"draft\",\"steps\":10},\"images\":7,\"meanQuality\":null,\"p50Quality\":null,"
            + "\"approved\":0,\"rejected\":0,\"approvalRate\":null,\"p50RenderMs\":90.0,\"p95RenderMs\":99.0,\"meanQueueWaitMs\":3.0}]}");
    Run r = farm("history", "--group-by", "profile,steps", "--since", "7d");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(requests.get("GET /api/v1/analytics/summary"))
        .contains("groupBy=profile%2Csteps")
        .contains("since=7d");
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).contains("6 from daily rollups");
    assertThat(lines.get(1)).startsWith("profile         steps  images");
    assertThat(lines.get(3)).startsWith("concept-square     30    1200").contains("80.0%");
    assertThat(lines.get(4)).startsWith("draft              10       7").contains("  -  ");
    // Every line of the table is as wide as its header: the columns line up.
    assertThat(lines.subList(1, 5)).extracting(String::length).containsOnly(lines.get(1).length());
  }

  @Test
  void reviewSendsTheVerdictAndBadVerdictsAreUsageErrors() {
    script(
        "/api/v1/images/j1/0/review",
        200,
        "{\"jobId\":\"j1\",\"index\":0,\"verdict\":\"approved\",\"rating\":5,\"reviewer\":\"ana\",\"reviewedAt\":\"2026-11-29T10:00:00Z\"}");
    Run ok = farm("review", "j1", "0", "approve", "--rating", "5");
    assertThat(ok.code()).isZero();
    assertThat(requests.get("PUT /api/v1/images/j1/0/review"))
        .contains("\"verdict\":\"approved\"")
        .contains("\"rating\":5");
    assertThat(ok.out()).contains("approved, rating 5 by ana");
    Run bad = farm("review", "j1", "0", "maybe");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("approve, reject or clear");
  }

  @Test
  void variantsRefineAndPoolSendTheirBodies() {
    script(
        "/api/v1/images/p/2/variants",
        202,
        "{\"id\":\"v1\",\"derivation\":\"variant\",\"parent\":{\"jobId\":\"p\",\"index\":2},\"model\":\"m@1\","
            + "\"count\":2,\"width\":256,\"height\":256,\"steps\":10,\"stepProfile\":\"explore\",\"seeds\":[1042,1123]}");
    Run v = farm("variants", "p", "2", "--pool", "42,123", "--steps", "explore");
    assertThat(v.code()).as(v.err()).isZero();
    assertThat(requests.get("POST /api/v1/images/p/2/variants"))
        .contains("\"pool\":[42,123]")
        .contains("\"steps\":\"explore\"");
    assertThat(v.out()).contains("job v1 (variant of p/2, model m@1)").contains("seeds 1042, 1123");
    assertThat(farm("variants", "p", "2", "--pool", "42,x").code()).isEqualTo(2);

    script(
        "/api/v1/images/p/0/refine",
        400,
        "{\"status\":400,\"detail\":\"steps: gives 10 steps, not more than the parent's 40\"}");
    Run r = farm("refine", "p", "0", "--steps", "10");
    assertThat(requests.get("POST /api/v1/images/p/0/refine")).contains("\"steps\":10");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("not more than the parent's 40");

    script(
        "/api/v1/teams/shop/seed-pool",
        200,
        "{\"team\":\"shop\",\"offsets\":[7,11],\"isDefault\":false,\"updatedBy\":\"ana\",\"updatedAt\":\"t\"}");
    Run set = farm("pool", "set", "shop", "7,11");
    assertThat(set.code()).isZero();
    assertThat(requests.get("PUT /api/v1/teams/shop/seed-pool")).contains("\"offsets\":[7,11]");
    assertThat(set.out()).contains("team shop seed pool: 7, 11 (set by ana");
  }

  @Test
  void seedsPrintsBothRankings() {
    script(
        "/api/v1/analytics/seeds",
        200,
        "{\"from\":\"2026-10-31\",\"to\":\"2026-11-29\",\"seeds\":[{\"value\":1042,\"images\":3,\"approved\":2,\"rejected\":1,"
            + "\"approvalRate\":0.6666,\"meanQuality\":0.9}],\"offsets\":[]}");
    Run r = farm("seeds", "--prompt", "red mug", "--profile", "concept-square");
    assertThat(r.code()).isZero();
    assertThat(requests.get("GET /api/v1/analytics/seeds"))
        .contains("prompt=red+mug")
        .contains("profile=concept-square");
    assertThat(r.out())
        .contains("1042")
        .contains("66.7%")
        .contains("pool offsets")
        .contains("none");
  }
}
