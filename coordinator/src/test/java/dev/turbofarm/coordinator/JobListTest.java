package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.as;
import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/jobs}, {@code GET /api/v1/batches} and {@code POST /api/v1/jobs/{id}/cancel}
 * on the real database: team scoping (another team's rows never appear, naming its team is a 404),
 * newest first, keyset pages that neither repeat nor skip, the filters, 400s naming the parameter,
 * and cancel's 409 for a job that is no longer QUEUED. Dispatch is paused while jobs must stay
 * QUEUED and resumed after.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class JobListTest {

  private static String submit(String key, String prompt) {
    return as(key)
        .contentType("application/json")
        .body("{\"prompt\":\"" + prompt + "\",\"width\":256,\"height\":256,\"steps\":1}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  @Test
  void listsOwnTeamNewestFirstInKeysetPages() {
    String team = BatchFlowTest.team("list");
    String other = BatchFlowTest.team("list-other");
    String key = TestKeys.submitter(team);
    List<String> ids = new ArrayList<>();
    BatchFlowTest.pauseDispatch();
    try {
      for (int i = 0; i < 5; i++) {
        ids.add(submit(key, "listed job " + i));
      }
      String foreign = submit(TestKeys.submitter(other), "another team's job");
      Collections.reverse(ids); // newest first

      // Three pages of 2, 2, 1: in order, no repeat, and the last page says there is no next.
      List<String> seen = new ArrayList<>();
      String after = null;
      int pages = 0;
      do {
        var req = as(key).queryParam("limit", 2);
        if (after != null) {
          req = req.queryParam("after", after);
        }
        JsonPath page = req.when().get("/api/v1/jobs").then().statusCode(200).extract().jsonPath();
        seen.addAll(page.getList("items.id"));
        assertTrue(page.getList("items.team").stream().allMatch(team::equals), "own team only");
        after = page.getString("next");
        pages++;
      } while (after != null && pages < 10);
      assertEquals(ids, seen);
      assertEquals(3, pages);
      assertTrue(!seen.contains(foreign));

      // The other team's job is invisible, and naming its team is the 404 of an unknown team.
      as(key).queryParam("team", other).when().get("/api/v1/jobs").then().statusCode(404);
      // An admin sees it by naming the team, and both with team=all.
      asAdmin()
          .queryParam("team", other)
          .when()
          .get("/api/v1/jobs")
          .then()
          .statusCode(200)
          .body("items.id", equalTo(List.of(foreign)));
      // An analyst granted the team reads it; its own team's list has none of it.
      as(TestKeys.analyst(BatchFlowTest.team("analyst"), team))
          .when()
          .get("/api/v1/jobs")
          .then()
          .statusCode(200)
          .body("items.id", hasItem(ids.get(0)))
          .body("items.id", not(hasItem(foreign)));

      // Filters: state, and dates (today keeps all, tomorrow none).
      as(key)
          .queryParam("state", "queued")
          .when()
          .get("/api/v1/jobs")
          .then()
          .statusCode(200)
          .body("items", hasSize(5))
          .body("items.state", everyItem(equalTo("QUEUED")));
      as(key)
          .queryParam("state", "SUCCEEDED")
          .when()
          .get("/api/v1/jobs")
          .then()
          .statusCode(200)
          .body("items", hasSize(0))
          .body("next", nullValue());
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      as(key)
          .queryParam("from", today.toString())
          .queryParam("to", today.toString())
          .when()
          .get("/api/v1/jobs")
          .then()
          .statusCode(200)
          .body("items", hasSize(5));
      as(key)
          .queryParam("from", today.plusDays(1).toString())
          .when()
          .get("/api/v1/jobs")
          .then()
          .statusCode(200)
          .body("items", hasSize(0));
    } finally {
      BatchFlowTest.resumeDispatch();
    }
  }

  @Test
  void badParametersAreOne400NamingEach() {
    TestKeys.asSubmitter("list-bad")
        .queryParam("limit", 0)
        .queryParam("state", "DONE")
        .queryParam("from", "yesterday")
        .queryParam("after", "not-a-cursor")
        .when()
        .get("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("limit"))
        .body("errors.field", hasItem("state"))
        .body("errors.field", hasItem("from"))
        .body("errors.field", hasItem("after"))
        .body("detail", containsString("DONE"));
    TestKeys.asSubmitter("list-bad")
        .queryParam("from", "2026-11-02")
        .queryParam("to", "2026-11-01T00:00:00Z")
        .queryParam("limit", 201)
        .when()
        .get("/api/v1/batches")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("to"))
        .body("errors.field", hasItem("limit"));
    TestKeys.asSubmitter("list-bad")
        .queryParam("state", "QUEUED")
        .when()
        .get("/api/v1/batches")
        .then()
        .statusCode(400)
        .body("errors.field", equalTo(List.of("state")));
    io.restassured.RestAssured.given().when().get("/api/v1/jobs").then().statusCode(401);
  }

  @Test
  void cancelsAQueuedJobOnlyAndAuditsIt() {
    String team = BatchFlowTest.team("cancel");
    String key = TestKeys.submitter(team);
    String id;
    BatchFlowTest.pauseDispatch();
    try {
      id = submit(key, "a job to cancel");
      // Another team's job is a 404, an analyst's cancel a 403.
      TestKeys.asSubmitter(BatchFlowTest.team("cancel-other"))
          .when()
          .post("/api/v1/jobs/" + id + "/cancel")
          .then()
          .statusCode(404);
      as(TestKeys.analyst(team))
          .when()
          .post("/api/v1/jobs/" + id + "/cancel")
          .then()
          .statusCode(403);
      as(key)
          .when()
          .post("/api/v1/jobs/" + id + "/cancel")
          .then()
          .statusCode(200)
          .body("state", equalTo("CANCELLED"));
      as(key)
          .when()
          .post("/api/v1/jobs/" + id + "/cancel")
          .then()
          .statusCode(409)
          .contentType("application/problem+json")
          .body("detail", containsString("CANCELLED"));
    } finally {
      BatchFlowTest.resumeDispatch();
    }
    as(key).when().post("/api/v1/jobs/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    asAdmin()
        .when()
        .get("/api/v1/admin/audit?target=job:" + id)
        .then()
        .statusCode(200)
        .body("events[0].action", equalTo("job.cancel"))
        .body("events[0].actorTeam", equalTo(team));
    // Still CANCELLED after dispatch resumed: the dispatcher never takes it.
    as(key).when().get("/api/v1/jobs/" + id).then().body("state", equalTo("CANCELLED"));
  }

  @Test
  void aRenderedJobCannotBeCancelled() {
    BatchFlowTest.ensureWorker();
    String key = TestKeys.submitter(BatchFlowTest.team("cancel-done"));
    String id = submit(key, "a job that renders");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () ->
                "SUCCEEDED"
                    .equals(
                        as(key).when().get("/api/v1/jobs/" + id).then().extract().path("state")));
    as(key)
        .when()
        .post("/api/v1/jobs/" + id + "/cancel")
        .then()
        .statusCode(409)
        .body("detail", containsString("SUCCEEDED"));
  }

  @Test
  void listsBatchesWithStateFilterAndPages() {
    String team = BatchFlowTest.team("batches");
    String key = TestKeys.submitter(team);
    List<String> ids = new ArrayList<>();
    BatchFlowTest.pauseDispatch();
    try {
      for (int i = 0; i < 3; i++) {
        ids.add(
            as(key)
                .contentType("text/csv")
                .queryParam("name", "list " + i)
                .body("sku,prompt,width,height,steps\nmug-" + i + ",a mug " + i + ",256,256,1\n")
                .when()
                .post("/api/v1/batches")
                .then()
                .statusCode(202)
                .extract()
                .path("id"));
      }
      as(key).when().post("/api/v1/batches/" + ids.get(0) + "/cancel").then().statusCode(200);
      Collections.reverse(ids);
      JsonPath first =
          as(key)
              .queryParam("limit", 2)
              .when()
              .get("/api/v1/batches")
              .then()
              .statusCode(200)
              .body("items", hasSize(2))
              .body("next", notNullValue())
              .body("items[0].name", equalTo("list 2"))
              .body("items[0].jobCount", equalTo(1))
              .extract()
              .jsonPath();
      String next = first.getString("next");
      assertNotNull(next);
      as(key)
          .queryParam("limit", 2)
          .queryParam("after", next)
          .when()
          .get("/api/v1/batches")
          .then()
          .statusCode(200)
          .body("items.id", equalTo(List.of(ids.get(2))))
          .body("items[0].state", equalTo("CANCELLED"))
          .body("next", nullValue());
      as(key)
          .queryParam("state", "running")
          .when()
          .get("/api/v1/batches")
          .then()
          .statusCode(200)
          .body("items.id", equalTo(ids.subList(0, 2)));
      // The batch's jobs, through the job list's batch filter.
      as(key)
          .queryParam("batch", ids.get(0))
          .when()
          .get("/api/v1/jobs")
          .then()
          .statusCode(200)
          .body("items", hasSize(1))
          .body("items[0].prompt", equalTo("a mug 2"));
      TestKeys.asSubmitter(BatchFlowTest.team("batches-other"))
          .when()
          .get("/api/v1/batches")
          .then()
          .statusCode(200)
          .body("items.id", not(hasItem(ids.get(0))));
    } finally {
      BatchFlowTest.resumeDispatch();
    }
  }
}
