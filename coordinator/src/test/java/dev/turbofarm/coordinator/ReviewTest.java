package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reviews through the API: verdict, rating and note with who and when; a batch's review progress;
 * the manifest's verdict and rating, and exports of only the approved images.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class ReviewTest {

  @BeforeAll
  static void startWorker() {
    TestWorker.ensureStarted();
  }

  static JsonPath review(String job, int index, String body, int status) {
    return asAdmin()
        .contentType("application/json")
        .body(body)
        .put("/api/v1/images/" + job + "/" + index + "/review")
        .then()
        .statusCode(status)
        .extract()
        .jsonPath();
  }

  @Test
  void aReviewHoldsVerdictRatingNoteWhoAndWhen() {
    String job = SeedApiTest.rendered(SeedApiTest.team(), 9, 2);
    JsonPath r =
        review(job, 1, "{\"verdict\":\"approved\",\"rating\":5,\"note\":\"hero shot\"}", 200);
    assertThat(r.getString("verdict")).isEqualTo("approved");
    assertThat(r.getInt("rating")).isEqualTo(5);
    assertThat(r.getString("note")).isEqualTo("hero shot");
    assertThat(r.getString("reviewer")).isNotBlank();
    assertThat(r.getString("reviewedAt")).isNotBlank();
    JsonPath view =
        asAdmin().get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath();
    assertThat(view.getString("images[1].verdict")).isEqualTo("approved");
    assertThat(view.getInt("images[1].rating")).isEqualTo(5);
    assertThat(view.getString("images[0].verdict")).isNull();
    assertThat(
            asAdmin()
                .get("/api/v1/images/" + job + "/1/review")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("note"))
        .isEqualTo("hero shot");
    asAdmin().get("/api/v1/images/" + job + "/0/review").then().statusCode(404);

    JsonPath cleared = review(job, 1, "{\"verdict\":null,\"rating\":2}", 200);
    assertThat(cleared.getString("verdict")).isNull();
    assertThat(
            asAdmin()
                .get("/api/v1/jobs/" + job)
                .then()
                .extract()
                .jsonPath()
                .getString("images[1].verdict"))
        .as("the image row follows its review")
        .isNull();
  }

  @Test
  void badReviewsAreNamedAndOnlyRenderedImagesAreReviewed() {
    String job = SeedApiTest.rendered(SeedApiTest.team(), 19, 1);
    assertThat(
            review(
                    job,
                    0,
                    "{\"verdict\":\"maybe\",\"rating\":6,\"note\":\"" + "n".repeat(2001) + "\"}",
                    400)
                .getList("errors.field", String.class))
        .containsExactly("verdict", "rating", "note");
    review(job, 3, "{\"verdict\":\"approved\"}", 404);
    review(UUID.randomUUID().toString(), 0, "{\"verdict\":\"approved\"}", 404);
    BatchFlowTest.pauseDispatch();
    String queued;
    try {
      queued =
          JobFlowTest.submit("{\"prompt\":\"a mug\",\"width\":256,\"height\":256,\"steps\":1}");
      assertThat(review(queued, 0, "{\"verdict\":\"approved\"}", 409).getString("detail"))
          .contains("not rendered");
    } finally {
      BatchFlowTest.resumeDispatch();
    }
  }

  @Test
  void aBatchShowsItsReviewProgressAndExportsItsChosenImages() {
    String team = BatchFlowTest.team("review");
    String batch =
        BatchFlowTest.submitCsv(BatchFlowTest.csv("R", 3), "?team=" + team, 202).getString("id");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                asAdmin()
                    .get("/api/v1/batches/" + batch)
                    .then()
                    .extract()
                    .jsonPath()
                    .getBoolean("done"));
    List<JsonPath> rows =
        asAdmin()
            .queryParam("format", "jsonl")
            .get("/api/v1/batches/" + batch + "/manifest")
            .then()
            .statusCode(200)
            .extract()
            .asString()
            .lines()
            .map(JsonPath::new)
            .toList();
    assertThat(rows).hasSize(3);
    String approved = rows.get(0).getString("job_id");
    review(approved, 0, "{\"verdict\":\"approved\",\"rating\":4}", 200);
    review(rows.get(1).getString("job_id"), 0, "{\"verdict\":\"rejected\",\"rating\":1}", 200);

    JsonPath progress =
        asAdmin().get("/api/v1/batches/" + batch).then().statusCode(200).extract().jsonPath();
    assertThat(progress.getLong("reviews.approved")).isEqualTo(1);
    assertThat(progress.getLong("reviews.rejected")).isEqualTo(1);
    assertThat(progress.getLong("reviews.unreviewed")).isEqualTo(1);

    String csv =
        asAdmin()
            .queryParam("verdict", "approved")
            .get("/api/v1/batches/" + batch + "/manifest")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0)).endsWith(",verdict,rating");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains(approved).endsWith(",approved,4");
    String all =
        asAdmin()
            .get("/api/v1/batches/" + batch + "/manifest")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(all.lines().toList()).hasSize(4);
    assertThat(
            asAdmin()
                .queryParam("verdict", "unreviewed")
                .get("/api/v1/batches/" + batch + "/manifest")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .toList())
        .hasSize(2);
    asAdmin()
        .queryParam("verdict", "good")
        .get("/api/v1/batches/" + batch + "/manifest")
        .then()
        .statusCode(400);
  }
}
