package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm manifest --download} against a small HTTP server on loopback. */
class BatchDownloadTest {
  @TempDir Path dir;
  private HttpServer server;
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final AtomicInteger gets = new AtomicInteger();

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          gets.incrementAndGet();
          byte[] body = objects.get(ex.getRequestURI().getPath());
          if (body == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private JsonNode line(String sku, int index, String path, byte[] bytes, String sha) {
    objects.put(path, bytes);
    return FarmClient.parse(
        "{\"sku\":\""
            + sku
            + "\",\"image_index\":"
            + index
            + ",\"url\":\"http://127.0.0.1:"
            + server.getAddress().getPort()
            + path
            + "\",\"sha256\":\""
            + (sha != null ? sha : FarmClient.sha256Hex(bytes))
            + "\"}");
  }

  @Test
  void downloadsEveryImageByNameAndSkipsWhatIsAlreadyThere() throws Exception {
    List<JsonNode> manifest =
        List.of(
            line("MUG-1", 0, "/a", "first".getBytes(), null),
            line("A/1", 0, "/b", "second".getBytes(), null),
            line("A_1", 0, "/c", "third".getBytes(), null),
            FarmClient.parse(
                "{\"sku\":\"NOT-YET\",\"image_index\":0,\"url\":null,\"sha256\":null}"));
    PrintStream out = new PrintStream(new ByteArrayOutputStream());

    BatchDownload.Outcome first = new BatchDownload().run(manifest, dir, out);

    assertThat(first.downloaded()).isEqualTo(3);
    assertThat(first.problems()).isEmpty();
    assertThat(Files.readString(dir.resolve("MUG-1_0.png"))).isEqualTo("first");
    assertThat(Files.readString(dir.resolve("A_1_0.png"))).isEqualTo("second");
    assertThat(Files.readString(dir.resolve("A_1_0~2.png"))).isEqualTo("third");
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(3);
    }

    Files.writeString(dir.resolve("MUG-1_0.png"), "changed locally");
    int before = gets.get();
    BatchDownload.Outcome second = new BatchDownload().run(manifest, dir, out);

    assertThat(second.skipped()).as("same checksum: skipped").isEqualTo(2);
    assertThat(second.downloaded()).as("a different file is fetched again").isEqualTo(1);
    assertThat(gets.get() - before).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("MUG-1_0.png"))).isEqualTo("first");
  }

  @Test
  void bytesThatDoNotMatchTheRecordedChecksumAreRefused() throws Exception {
    List<JsonNode> manifest = List.of(line("X", 0, "/x", "tampered".getBytes(), "0".repeat(64)));

    BatchDownload.Outcome o =
        new BatchDownload().run(manifest, dir, new PrintStream(new ByteArrayOutputStream()));

    assertThat(o.problems()).singleElement().asString().contains("SHA-256");
    assertThat(dir.resolve("X_0.png")).doesNotExist();
  }
}
