package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The batch commands' exit codes and messages, against no coordinator or a scripted one. */
class BatchCommandsTest {
  private static final String KEY = "tf_" + "b".repeat(43);

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run farm(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = new CommandLine(new FarmCli()).execute(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void missingFileIsExit2() {
    Run r =
        farm(
            "submit",
            dir.resolve("nope.csv").toString(),
            "--url",
            "http://127.0.0.1:1",
            "--api-key",
            KEY);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no such file");
  }

  @Test
  void unreachableCoordinatorIsExit1AndSaysHowToStartOne() throws Exception {
    Path csv = Files.writeString(dir.resolve("c.csv"), "sku,prompt\nA,a red mug\n");
    Run r =
        farm("submit", csv.toString(), "--url", "http://127.0.0.1:" + freePort(), "--api-key", KEY);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("cannot reach the coordinator").contains("./farm up");
    assertThat(
            farm("status", "x", "--url", "http://127.0.0.1:" + freePort(), "--api-key", KEY).code())
        .isEqualTo(1);
  }

  @Test
  void rejectedRowsAreListedWithExit2() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/batches",
        ex -> {
          byte[] body =
              ("{\"status\":400,\"detail\":\"1 of 2 rows are invalid; nothing was accepted\","
                      + "\"accepted\":0,\"rejectedCount\":1,"
                      + "\"rejected\":[{\"line\":3,\"field\":\"count\",\"problem\":\"is 9; must be 1..8\"}]}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/problem+json");
          ex.sendResponseHeaders(400, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try {
      Path csv =
          Files.writeString(dir.resolve("c.csv"), "sku,prompt,count\nA,a mug,1\nB,a lamp,9\n");
      Run r =
          farm(
              "submit",
              csv.toString(),
              "--url",
              "http://127.0.0.1:" + server.getAddress().getPort(),
              "--api-key",
              KEY);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("line 3: count: is 9");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anIdempotencyKeyIsSentAndAReplayIsSaid() throws Exception {
    java.util.List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/batches",
        ex -> {
          String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
          keys.add(String.valueOf(key));
          byte[] body =
              ("{\"id\":\"7c9e6679-7425-40de-944b-e07fc1f90ae7\",\"team\":\"default\","
                      + "\"accepted\":1,\"images\":1,\"rejectedCount\":0,\"rejected\":[],"
                      + "\"intakeMs\":3}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          if (key != null) {
            ex.getResponseHeaders().add("Idempotent-Replayed", "true");
          }
          ex.sendResponseHeaders(202, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try {
      Path csv = Files.writeString(dir.resolve("c.csv"), "sku,prompt\nA,a red mug\n");
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      Run keyed =
          farm(
              "submit",
              csv.toString(),
              "--url",
              url,
              "--api-key",
              KEY,
              "--idempotency-key",
              "nightly-2026-11-29");
      assertThat(keyed.code()).isZero();
      assertThat(keyed.out()).contains("the first answer for this --idempotency-key");
      Run plain = farm("submit", csv.toString(), "--url", url, "--api-key", KEY);
      assertThat(plain.code()).isZero();
      assertThat(plain.out()).doesNotContain("idempotency");
      assertThat(keys).containsExactly("nightly-2026-11-29", "null");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void progressLineShowsDoneTotalRateAndEta() {
    String line =
        BatchCommands.progressLine(
            FarmClient.parse(
                "{\"state\":\"RUNNING\",\"images\":{\"total\":200,\"done\":50},\"imagesPerSecond\":2.5,\"etaSeconds\":60}"));
    assertThat(line).contains("50/200 images").contains("2.5 img/s").contains("ETA 1m00s");
  }
}
