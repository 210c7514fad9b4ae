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

/** {@code farm jobs} and {@code farm batches} against a scripted coordinator. */
class ListCommandsTest {
  private static final String KEY = "tf_" + "l".repeat(43);

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
      String[] all = new String[args.length + 4];
      System.arraycopy(args, 0, all, 0, args.length);
      all[args.length] = "--url";
      all[args.length + 1] = "http://127.0.0.1:" + server.getAddress().getPort();
      all[args.length + 2] = "--api-key";
      all[args.length + 3] = KEY;
      int code = new CommandLine(new FarmCli()).execute(all);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private void script(String path, int status, String body) {
    server.createContext(
        path,
        ex -> {
          requests.put(
              ex.getRequestMethod() + " " + path,
              ex.getRequestURI().getRawQuery()
                  + " auth="
                  + ex.getRequestHeaders().getFirst("Authorization"));
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
  void jobsSendsFiltersAndKeyAndPrintsATableWithTheNextPage() {
    script(
        "/api/v1/jobs",
        200,
        "{\"items\":[{\"id\":\"j-2\",\"state\":\"QUEUED\",\"team\":\"shop\",\"prompt\":\"a red\\nmug\","
            + "\"width\":1024,\"height\":576,\"steps\":8,\"count\":2,\"createdAt\":\"2026-11-29T10:00:01Z\"},"
            + "{\"id\":\"j-1\",\"state\":\"SUCCEEDED\",\"team\":\"shop\",\"prompt\":\"a blue mug\","
            + "\"width\":512,\"height\":512,\"steps\":4,\"count\":1,\"createdAt\":\"2026-11-29T10:00:00Z\"}],"
            + "\"next\":\"Y3Vyc29y\"}");
    Run r = farm("jobs", "--state", "QUEUED,SUCCEEDED", "--from", "2026-11-29", "--limit", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(requests.get("GET /api/v1/jobs"))
        .contains("state=QUEUED%2CSUCCEEDED")
        .contains("from=2026-11-29")
        .contains("limit=2")
        .doesNotContain("team=")
        .contains("auth=Bearer " + KEY);
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("id").contains("state").contains("prompt");
    assertThat(lines.get(2)).startsWith("j-2").contains("1024x576").contains("a red mug");
    assertThat(lines.get(3)).startsWith("j-1").contains("SUCCEEDED");
    assertThat(lines.get(4)).isEqualTo("more: farm jobs --after Y3Vyc29y");
  }

  @Test
  void batchesPrintsNoneAndABadParameterIsExit2() {
    script("/api/v1/batches", 200, "{\"items\":[],\"next\":null}");
    Run empty = farm("batches", "--team", "all");
    assertThat(empty.code()).isZero();
    assertThat(empty.out().strip()).isEqualTo("no batches");
    assertThat(requests.get("GET /api/v1/batches")).contains("team=all");
    server.removeContext("/api/v1/batches");
    script(
        "/api/v1/batches",
        400,
        "{\"status\":400,\"detail\":\"state: is 'DONE'; must be one of CANCELLED, COMPLETED, RUNNING\"}");
    Run bad = farm("batches", "--state", "DONE");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("state: is 'DONE'");
  }
}
