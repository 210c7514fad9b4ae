package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * Results reach people on a whole farm of processes: a batch whose images add up to more than the
 * coordinator's heap downloads as one ZIP from a coordinator running with 256 MB; and a farm on the
 * S3 store (a local s3proxy) serves every image through its URL while writing nothing under the
 * local result root.
 */
class StorageIT {
  /** The coordinator's heap in the ZIP test, MiB. */
  private static final int COORDINATOR_HEAP_MB = 256;

  /** Images of 2048x2048 seeded noise, ~12.6 MB each as PNG: 28 of them are ~350 MB. */
  private static final int BIG_IMAGES = 28;

  private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(6);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static FarmOptions options(String name) throws Exception {
    Path home = Path.of(System.getProperty("farm.home", "..")).toAbsolutePath().normalize();
    Path data =
        home.resolve(
            "launcher/target/"
                + name
                + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(data);
    return FarmOptions.defaults(home).withDataDir(data).withFreePorts().withWorkers(1);
  }

  @Test
  void aBatchLargerThanTheCoordinatorsHeapDownloadsAsOneZip() throws Exception {
    try (Farm farm =
        Farm.start(
            options("storage-it-zip")
                .withPipeline("noise")
                .withCoordinatorHeapMb(COORDINATOR_HEAP_MB))) {
      StringBuilder csv = new StringBuilder("sku,prompt,width,height\n");
      for (int i = 0; i < BIG_IMAGES; i++) {
        csv.append("BIG-").append(i).append(",noise ").append(i).append(",2048,2048\n");
      }
      String batch = submitCsv(farm, csv.toString());
      awaitBatch(farm, batch);
      Map<String, String> expected = new LinkedHashMap<>();
      long recordedBytes = 0;
      for (JsonNode l : manifest(farm, batch)) {
        assertThat(l.path("state").asText()).isEqualTo("SUCCEEDED");
        expected.put(
            l.path("sku").asText() + "_" + l.path("image_index").asInt() + ".png",
            l.path("sha256").asText());
      }
      assertThat(expected).hasSize(BIG_IMAGES);

      Path zip = farm.options().dataDir().resolve("batch.zip");
      long t0 = System.nanoTime();
      HttpResponse<Path> r =
          http.send(
              request(
                      farm,
                      farm.coordinatorUrl().resolve("/api/v1/batches/" + batch + "/images.zip"))
                  .timeout(Duration.ofMinutes(5))
                  .build(),
              HttpResponse.BodyHandlers.ofFile(zip));
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(r.statusCode()).isEqualTo(200);

      Map<String, String> got = new LinkedHashMap<>();
      try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
        ZipEntry e;
        while ((e = in.getNextEntry()) != null) {
          got.put(e.getName(), FarmClient.sha256Hex(in.readAllBytes()));
          recordedBytes += e.getSize();
        }
      }
      long size = Files.size(zip);
      System.out.printf(
          "StorageIT: ZIP of %d images, %.1f MB (PNG bytes %.1f MB) from a coordinator with -Xmx%dm"
              + " in %.1f s (%.1f MB/s)%n",
          got.size(),
          size / 1e6,
          recordedBytes / 1e6,
          COORDINATOR_HEAP_MB,
          seconds,
          size / 1e6 / seconds);
      assertThat(size)
          .as("more than the coordinator's heap")
          .isGreaterThan(COORDINATOR_HEAP_MB * 1024L * 1024L);
      assertThat(got)
          .as("every image, named by SKU, with its recorded SHA-256")
          .isEqualTo(expected);
      // 350 MB the next runs need not keep (the farm's logs stay under target/).
      Files.deleteIfExists(zip);
      assertThat(
              new FarmClient(farm.managementUrl(), farm.adminKey()).get("/q/health/ready").status())
          .as("the coordinator still runs")
          .isEqualTo(200);
    }
  }

  @Test
  void anS3FarmServesEveryImageThroughItsUrlAndWritesNothingLocally() throws Exception {
    try (Farm farm =
        Farm.start(options("storage-it-s3").withPipeline("instant").withStorage("s3"))) {
      FarmClient client = new FarmClient(farm.coordinatorUrl(), farm.adminKey());
      int images = 0;
      for (int i = 0; i < 4; i++) {
        JsonNode job =
            client.runToSuccess(
                FarmClient.draftJob("a red mug " + i, "s3-it", 100 + i).put("count", 2),
                Duration.ofSeconds(120),
                Duration.ofMillis(100),
                "S3 farm");
        for (JsonNode img : job.path("images")) {
          byte[] png = client.download(URI.create(img.path("url").asText()));
          assertThat(FarmClient.sha256Hex(png)).isEqualTo(img.path("sha256").asText());
          assertThat(img.path("path").isNull()).as("no host path with S3").isTrue();
          images++;
        }
      }
      assertThat(images).isEqualTo(8);
      assertThat(Demo.filesUnder(farm.resultRoot()))
          .as("files under the local result root")
          .isZero();
      assertThat(Demo.filesUnder(farm.options().dataDir().resolve("s3")))
          .as("objects in the local S3 server")
          .isGreaterThanOrEqualTo(8 * 4);
      assertThat(client.get("/api/v1/admin/storage").body().path("store").asText()).isEqualTo("s3");
    }
  }

  /** A request with the farm's admin key. */
  private static HttpRequest.Builder request(Farm farm, java.net.URI uri) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + farm.adminKey());
  }

  private String submitCsv(Farm farm, String csv) throws Exception {
    HttpResponse<String> r =
        http.send(
            request(farm, farm.coordinatorUrl().resolve("/api/v1/batches?team=storage-it"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return FarmClient.parse(r.body()).path("id").asText();
  }

  private void awaitBatch(Farm farm, String batch) {
    FarmClient client = new FarmClient(farm.coordinatorUrl(), farm.adminKey());
    org.awaitility.Awaitility.await()
        .atMost(BATCH_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> client.get("/api/v1/batches/" + batch).body().path("done").asBoolean());
  }

  private java.util.List<JsonNode> manifest(Farm farm, String batch) throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            request(
                    farm,
                    farm.coordinatorUrl()
                        .resolve("/api/v1/batches/" + batch + "/manifest?format=jsonl"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .map(FarmClient::parse)
          .toList();
    }
  }
}
