package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbofarm.coordinator.image.service.RetentionSweeper;
import dev.turbofarm.store.ResultStore;
import dev.turbofarm.store.ResultStores;
import dev.turbofarm.store.StorageKeys;
import dev.turbofarm.store.image.ImageWriter;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Images reach people, on whichever store this JVM's worker and coordinator share ({@link
 * TestStorage}): the worker (in this JVM, on the real broker) writes, the coordinator serves. Run
 * by {@code ImageDownloadTest} on the filesystem store and by {@code ImageDownloadS3Test} on S3
 * (s3proxy), the same tests for both.
 */
abstract class ImageDownloadContract {
  private static ResultStore store;

  @Inject RetentionSweeper sweeper;

  @BeforeAll
  static void startWorker() {
    TestWorker.ensureStarted();
    store = ResultStores.open(TestStorage.settings());
  }

  @AfterAll
  static void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private static JsonPath rendered(String body) {
    JsonPath job = JobFlowTest.awaitTerminal(JobFlowTest.submit(body));
    assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
    return job;
  }

  @Test
  void theImageIsStreamedWithItsChecksumLengthAndCacheHeaders() throws Exception {
    JsonPath job = rendered("{\"prompt\":\"a red mug on a white background\",\"seed\":501}");
    String url = job.getString("images[0].url");
    String sha = job.getString("images[0].sha256");
    assertThat(url).startsWith("http").endsWith("/images/0");
    assertThat(sha).matches("[0-9a-f]{64}");
    if (TestStorage.s3()) {
      assertThat(job.getString("images[0].path")).as("no path with S3").isNull();
    }

    Response r = asAdmin().when().get(url).then().statusCode(200).extract().response();

    byte[] png = r.asByteArray();
    assertThat(ImageWriter.sha256Hex(png)).isEqualTo(sha);
    assertThat(r.header("ETag")).isEqualTo('"' + sha + '"');
    assertThat(r.header("Content-Length")).isEqualTo(Long.toString(png.length));
    assertThat(png.length).isEqualTo(job.getLong("images[0].bytes"));
    assertThat(r.header("Content-Type")).startsWith("image/png");
    assertThat(r.header("Cache-Control")).contains("private").contains("immutable");
    assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img.getWidth()).isEqualTo(512);
  }

  @Test
  void anotherTeamsImagesThumbnailsAndZipAreNotFoundAndStorageIsForAdmins() {
    // JobFlowTest.submit submits as team job-flow.
    JsonPath job = rendered("{\"prompt\":\"a grey mug on a white background\",\"seed\":509}");
    String url = job.getString("images[0].url");
    String thumbnail = job.getString("images[0].thumbnailUrl");
    TestKeys.asSubmitter("job-flow").when().get(url).then().statusCode(200);
    TestKeys.as(TestKeys.analyst("images-analyst", "job-flow"))
        .when()
        .get(url)
        .then()
        .statusCode(200);
    for (String key :
        List.of(TestKeys.submitter("images-other"), TestKeys.analyst("images-analyst", "other"))) {
      TestKeys.as(key).when().get(url).then().statusCode(404);
      if (thumbnail != null) {
        TestKeys.as(key).when().get(thumbnail).then().statusCode(404);
      }
    }
    io.restassured.RestAssured.given().when().get(url).then().statusCode(401);
    String batch =
        BatchFlowTest.submitCsv("sku,prompt\nZ-1,a red mug\n", "team=images-owner", 202)
            .getString("id");
    TestKeys.asSubmitter("images-other")
        .when()
        .get("/api/v1/batches/" + batch + "/images.zip")
        .then()
        .statusCode(404);
    TestKeys.asSubmitter("images-other").when().get("/api/v1/admin/storage").then().statusCode(403);
    TestKeys.asSubmitter("images-other")
        .contentType("application/json")
        .body("{\"days\":1}")
        .when()
        .put("/api/v1/admin/teams/images-other/retention")
        .then()
        .statusCode(403);
  }

  @Test
  void conditionalAndRangeRequests() {
    JsonPath job = rendered("{\"prompt\":\"a blue sneaker on a wood background\",\"seed\":502}");
    String url = job.getString("images[0].url");
    String etag = '"' + job.getString("images[0].sha256") + '"';
    byte[] whole = asAdmin().when().get(url).then().statusCode(200).extract().asByteArray();
    int n = whole.length;

    asAdmin().header("If-None-Match", etag).when().get(url).then().statusCode(304);
    asAdmin().header("If-None-Match", "\"other\"").when().get(url).then().statusCode(200);

    Response first =
        asAdmin().header("Range", "bytes=0-99").when().get(url).then().extract().response();
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.header("Content-Range")).isEqualTo("bytes 0-99/" + n);
    assertThat(first.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(whole, 0, 100));

    Response tail =
        asAdmin().header("Range", "bytes=-10").when().get(url).then().extract().response();
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(whole, n - 10, n));

    Response middle =
        asAdmin()
            .header("Range", "bytes=" + (n - 50) + "-")
            .when()
            .get(url)
            .then()
            .extract()
            .response();
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.header("Content-Length")).isEqualTo("50");
    assertThat(middle.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(whole, n - 50, n));

    Response past =
        asAdmin().header("Range", "bytes=" + n + "-").when().get(url).then().extract().response();
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.header("Content-Type")).startsWith("application/problem+json");
    assertThat(past.header("Content-Range")).isEqualTo("bytes */" + n);
  }

  @Test
  void thumbnailsAreTheFilesTheWorkerStoredNeverResizedOnRequest() throws Exception {
    JsonPath job = rendered("{\"prompt\":\"a green bottle on a grey background\",\"seed\":503}");
    UUID id = UUID.fromString(job.getString("id"));
    for (int size : List.of(128, 256, 512)) {
      String key = StorageKeys.thumbnail(id, 0, size);
      // Beside the image before anyone asked for it: the worker made it when it stored the PNG.
      assertThat(store.size(key)).as("thumbnail %d stored by the worker", size).isPresent();
      byte[] stored;
      try (var in = store.open(key)) {
        stored = in.readAllBytes();
      }

      Response r =
          asAdmin()
              .when()
              .get("/api/v1/jobs/" + id + "/images/0/thumbnail?size=" + size)
              .then()
              .statusCode(200)
              .extract()
              .response();

      assertThat(r.header("Content-Type")).startsWith("image/jpeg");
      assertThat(r.asByteArray()).as("served as stored, byte for byte").isEqualTo(stored);
      BufferedImage t = ImageIO.read(new ByteArrayInputStream(r.asByteArray()));
      assertThat(Math.max(t.getWidth(), t.getHeight())).isEqualTo(Math.min(size, 512));
    }
    assertThat(job.getString("images[0].thumbnailUrl")).endsWith("/images/0/thumbnail?size=256");
    asAdmin()
        .when()
        .get("/api/v1/jobs/" + id + "/images/0/thumbnail?size=300")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("size"));
    asAdmin()
        .when()
        .get("/api/v1/jobs/" + id + "/images/0/thumbnail?size=big")
        .then()
        .statusCode(400);
    asAdmin().when().get("/api/v1/jobs/" + id + "/images/7").then().statusCode(404);
    asAdmin().when().get("/api/v1/jobs/" + UUID.randomUUID() + "/images/0").then().statusCode(404);
  }

  @Test
  void theZipHoldsEveryImageNamedBySkuWithItsRecordedChecksumAndResumes() throws Exception {
    String team = "zip-" + UUID.randomUUID().toString().substring(0, 8);
    String csv =
        "sku,prompt\n"
            + "MUG-1,a red mug\n"
            + "A/1,a blue mug\n"
            + "A_1,a green mug\n"
            + "..hidden,a black mug\n";
    String batch =
        BatchFlowTest.submitCsv(csv, "team=" + team + "&count=2&profile=draft", 202)
            .getString("id");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> asAdmin().when().get("/api/v1/batches/" + batch).then().extract().jsonPath(),
            b -> b.getBoolean("done"));
    Map<String, String> shaByName = new LinkedHashMap<>();
    String manifest =
        asAdmin()
            .when()
            .get("/api/v1/batches/" + batch + "/manifest?format=jsonl")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    Map<String, String> shaBySkuIndex = new HashMap<>();
    for (String line : manifest.lines().toList()) {
      JsonPath l = JsonPath.from(line);
      assertThat(l.getString("url")).startsWith("http");
      assertThat(l.getString("thumbnail_url")).contains("/thumbnail?size=256");
      shaBySkuIndex.put(l.getString("sku") + "#" + l.getInt("image_index"), l.getString("sha256"));
    }
    shaByName.put("MUG-1_0.png", shaBySkuIndex.get("MUG-1#0"));
    shaByName.put("MUG-1_1.png", shaBySkuIndex.get("MUG-1#1"));
    shaByName.put("A_1_0.png", shaBySkuIndex.get("A/1#0"));
    shaByName.put("A_1_1.png", shaBySkuIndex.get("A/1#1"));
    shaByName.put("A_1_0~2.png", shaBySkuIndex.get("A_1#0"));
    shaByName.put("A_1_1~2.png", shaBySkuIndex.get("A_1#1"));
    shaByName.put("_.hidden_0.png", shaBySkuIndex.get("..hidden#0"));
    shaByName.put("_.hidden_1.png", shaBySkuIndex.get("..hidden#1"));

    Response r =
        asAdmin()
            .when()
            .get("/api/v1/batches/" + batch + "/images.zip")
            .then()
            .statusCode(200)
            .extract()
            .response();
    assertThat(r.header("Content-Type")).startsWith("application/zip");
    Map<String, String> zipped = unzip(r.asByteArray());
    assertThat(zipped).containsExactlyEntriesOf(shaByName);

    Map<String, String> rest =
        unzip(
            asAdmin()
                .queryParam("after", "A/1")
                .when()
                .get("/api/v1/batches/" + batch + "/images.zip")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());
    assertThat(rest.keySet())
        .containsExactly("A_1_0~2.png", "A_1_1~2.png", "_.hidden_0.png", "_.hidden_1.png");
    asAdmin()
        .queryParam("after", "NOPE")
        .when()
        .get("/api/v1/batches/" + batch + "/images.zip")
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("after"));
    asAdmin()
        .when()
        .get("/api/v1/batches/" + UUID.randomUUID() + "/images.zip")
        .then()
        .statusCode(404);
  }

  /** Entry name to the SHA-256 of its bytes, in ZIP order. */
  private static Map<String, String> unzip(byte[] zip) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED);
        out.put(e.getName(), ImageWriter.sha256Hex(in.readAllBytes()));
      }
    }
    return out;
  }

  @Test
  void anExpiredImageIsGoneAndAnApprovedOneStays() throws Exception {
    String team = "keep-" + UUID.randomUUID().toString().substring(0, 8);
    asAdmin()
        .contentType("application/json")
        .body("{\"days\":1}")
        .when()
        .put("/api/v1/admin/teams/" + team + "/retention")
        .then()
        .statusCode(200)
        .body("days", org.hamcrest.Matchers.equalTo(1));
    JsonPath old = rendered("{\"prompt\":\"an old mug\",\"team\":\"" + team + "\"}");
    JsonPath approved = rendered("{\"prompt\":\"an approved mug\",\"team\":\"" + team + "\"}");
    JsonPath fresh = rendered("{\"prompt\":\"a new mug\",\"team\":\"" + team + "\"}");
    UUID oldId = UUID.fromString(old.getString("id"));
    UUID approvedId = UUID.fromString(approved.getString("id"));
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE image SET created_at = now() - interval '3 days' WHERE job_id IN (?, ?)")) {
      ps.setObject(1, oldId);
      ps.setObject(2, approvedId);
      assertThat(ps.executeUpdate()).isEqualTo(2);
    }
    // Approved through the review API: retention keeps it (image_retention_exempt).
    asAdmin()
        .contentType("application/json")
        .body("{\"verdict\":\"approved\"}")
        .when()
        .put("/api/v1/images/" + approvedId + "/0/review")
        .then()
        .statusCode(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> sweeper.sweep() >= 0);

    asAdmin()
        .when()
        .get(old.getString("images[0].url"))
        .then()
        .statusCode(410)
        .contentType("application/problem+json")
        .body("type", org.hamcrest.Matchers.endsWith("/gone"));
    asAdmin().when().get("/api/v1/jobs/" + oldId + "/images/0/thumbnail").then().statusCode(410);
    assertThat(store.size(StorageKeys.image(oldId, 0))).as("deleted from the store").isEmpty();
    for (int size : StorageKeys.THUMBNAIL_SIZES) {
      assertThat(store.size(StorageKeys.thumbnail(oldId, 0, size))).isEmpty();
    }
    JsonPath after = asAdmin().when().get("/api/v1/jobs/" + oldId).then().extract().jsonPath();
    assertThat(after.getString("images[0].expiredAt")).isNotNull();
    asAdmin().when().get(approved.getString("images[0].url")).then().statusCode(200);
    asAdmin().when().get(fresh.getString("images[0].url")).then().statusCode(200);

    JsonPath report =
        asAdmin().when().get("/api/v1/admin/storage").then().statusCode(200).extract().jsonPath();
    List<Map<String, Object>> teams = report.getList("teams");
    Map<String, Object> mine =
        teams.stream().filter(t -> team.equals(t.get("team"))).findFirst().orElseThrow();
    assertThat(((Number) mine.get("images")).longValue()).isEqualTo(2);
    assertThat(((Number) mine.get("expiredLast7Days")).longValue()).isEqualTo(1);
    assertThat(((Number) mine.get("retentionDays")).intValue()).isEqualTo(1);
    assertThat(((Number) mine.get("bytes")).longValue())
        .isEqualTo(approved.getLong("images[0].bytes") + fresh.getLong("images[0].bytes"));
    assertThat(report.getString("store")).isEqualTo(TestStorage.s3() ? "s3" : "filesystem");
  }

  @Test
  void retentionDaysAreValidated() {
    asAdmin()
        .contentType("application/json")
        .body("{\"days\":0}")
        .when()
        .put("/api/v1/admin/teams/some-team/retention")
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("days"));
    asAdmin()
        .when()
        .get("/api/v1/admin/teams/never-set/retention")
        .then()
        .statusCode(200)
        .body("days", org.hamcrest.Matchers.nullValue());
  }

  private static Connection db() throws Exception {
    return FarmServicesResource.superuser();
  }

  static List<String> names(Map<String, String> m) {
    return new ArrayList<>(m.keySet());
  }
}
