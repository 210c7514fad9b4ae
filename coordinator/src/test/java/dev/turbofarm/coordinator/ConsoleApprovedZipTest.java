package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.turbofarm.store.image.ImageWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The gallery's "approved images (ZIP)": {@code images.zip?verdict=approved} holds exactly the
 * batch's approved images, byte for byte, named as in the whole batch's ZIP; the gallery links it.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class ConsoleApprovedZipTest {

  @Test
  void theApprovedZipHoldsOnlyTheApprovedImagesAndTheGalleryLinksIt() throws Exception {
    TestWorker.ensureStarted();
    String team = BatchFlowTest.team("approved-zip");
    String batch =
        BatchFlowTest.submitCsv(
                "sku,prompt,width,height,steps\n"
                    + "CUP-1,a red cup,256,256,1\n"
                    + "CUP-2,a blue cup,256,256,1\n"
                    + "CUP-3,a green cup,256,256,1\n"
                    + "CUP-4,a white cup,256,256,1\n",
                "team=" + team,
                202)
            .getString("id");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> asAdmin().when().get("/api/v1/batches/" + batch).then().extract().jsonPath(),
            b -> b.getBoolean("done"));
    Map<String, String> jobBySku = new HashMap<>();
    Map<String, String> shaBySku = new HashMap<>();
    for (String line :
        asAdmin()
            .get("/api/v1/batches/" + batch + "/manifest?format=jsonl")
            .then()
            .statusCode(200)
            .extract()
            .asString()
            .lines()
            .toList()) {
      JsonPath l = JsonPath.from(line);
      jobBySku.put(l.getString("sku"), l.getString("job_id"));
      shaBySku.put(l.getString("sku"), l.getString("sha256"));
    }
    assertThat(jobBySku).hasSize(4);
    ReviewTest.review(jobBySku.get("CUP-1"), 0, "{\"verdict\":\"approved\",\"rating\":5}", 200);
    ReviewTest.review(jobBySku.get("CUP-2"), 0, "{\"verdict\":\"rejected\"}", 200);
    ReviewTest.review(jobBySku.get("CUP-4"), 0, "{\"verdict\":\"approved\"}", 200);

    Map<String, String> approved = zip(batch, "?verdict=approved");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("CUP-1_0.png", shaBySku.get("CUP-1"));
    expected.put("CUP-4_0.png", shaBySku.get("CUP-4"));
    assertThat(approved).containsExactlyEntriesOf(expected);
    assertThat(zip(batch, "?verdict=rejected")).containsOnlyKeys("CUP-2_0.png");
    assertThat(zip(batch, "?verdict=unreviewed")).containsOnlyKeys("CUP-3_0.png");
    assertThat(zip(batch, "")).hasSize(4);
    asAdmin()
        .get("/api/v1/batches/" + batch + "/images.zip?verdict=approved")
        .then()
        .header("Content-Disposition", containsString("-approved-images.zip"));
    asAdmin()
        .get("/api/v1/batches/" + batch + "/images.zip?verdict=maybe")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("verdict"));

    ConsoleTest.Session s = ConsoleTest.signIn(TestKeys.submitter(team));
    given()
        .cookie("tf_console", s.cookie())
        .get("/console/batches/" + batch)
        .then()
        .statusCode(200)
        .body(containsString("/api/v1/batches/" + batch + "/images.zip?verdict=approved"));
    // The session cookie authenticates the download, as the gallery's link needs.
    byte[] viaCookie =
        given()
            .cookie("tf_console", s.cookie())
            .get("/api/v1/batches/" + batch + "/images.zip?verdict=approved")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(unzip(viaCookie)).containsExactlyEntriesOf(expected);
  }

  private static Map<String, String> zip(String batch, String query) throws Exception {
    return unzip(
        asAdmin()
            .get("/api/v1/batches/" + batch + "/images.zip" + query)
            .then()
            .statusCode(200)
            .extract()
            .asByteArray());
  }

  /** Entry name to the SHA-256 of its bytes, in ZIP order. */
  private static Map<String, String> unzip(byte[] zip) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.put(e.getName(), ImageWriter.sha256Hex(in.readAllBytes()));
      }
    }
    return out;
  }
}
