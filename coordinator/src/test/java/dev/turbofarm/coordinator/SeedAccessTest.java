package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.as;
import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed reuse, reviews, pools and the history under identity (issues 10 and 12): another team's
 * image, pool or review is a 404; an analyst reads its granted teams and changes nothing (403); a
 * submitter reviews and derives in its own team, and the review names the key's holder and goes to
 * the audit trail.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class SeedAccessTest {
  @BeforeAll
  static void startWorker() {
    TestWorker.ensureStarted();
  }

  @Test
  void anotherTeamsImagesPoolsAndReviewsAreInvisibleAndAnalystsOnlyRead() {
    String owner = SeedApiTest.team();
    String stranger = SeedApiTest.team();
    String job = SeedApiTest.rendered(owner, 4242, 1);
    String image = "/api/v1/images/" + job + "/0";
    String pool = "/api/v1/teams/" + owner + "/seed-pool";
    String strangerKey = TestKeys.submitter(stranger);
    String analystKey = TestKeys.analyst(stranger, owner);

    // Another team's submitter: every path is a 404, reads and writes alike.
    as(strangerKey)
        .contentType("application/json")
        .body("{}")
        .post(image + "/variants")
        .then()
        .statusCode(404);
    as(strangerKey)
        .contentType("application/json")
        .body("{}")
        .post(image + "/rerun")
        .then()
        .statusCode(404);
    as(strangerKey).get(image + "/lineage").then().statusCode(404);
    as(strangerKey).get(image + "/review").then().statusCode(404);
    as(strangerKey)
        .contentType("application/json")
        .body("{\"verdict\":\"approved\"}")
        .put(image + "/review")
        .then()
        .statusCode(404);
    as(strangerKey).get(pool).then().statusCode(404);
    as(strangerKey)
        .contentType("application/json")
        .body("{\"offsets\":[1,2]}")
        .put(pool)
        .then()
        .statusCode(404);
    as(strangerKey)
        .queryParam("team", owner)
        .get("/api/v1/analytics/images")
        .then()
        .statusCode(403);

    // An analyst granted the owner's team reads its lineage, pool and history, changes nothing.
    as(analystKey).get(image + "/lineage").then().statusCode(200);
    as(analystKey).get(pool).then().statusCode(200);
    as(analystKey)
        .queryParam("team", owner)
        .get("/api/v1/analytics/images")
        .then()
        .statusCode(200)
        .body("images.team", everyItem(equalTo(owner)));
    as(analystKey)
        .contentType("application/json")
        .body("{\"verdict\":\"approved\"}")
        .put(image + "/review")
        .then()
        .statusCode(403);
    as(analystKey)
        .contentType("application/json")
        .body("{}")
        .post(image + "/variants")
        .then()
        .statusCode(403);

    // No credential at all.
    RestAssured.given().get(image + "/lineage").then().statusCode(401);

    // The owner reviews; the reviewer is the key's holder, and the audit trail has it.
    TestKeys.Created reviewer =
        TestKeys.create("submitter", owner, List.of(), "Rita of " + owner, null, null);
    as(reviewer.secret())
        .contentType("application/json")
        .body("{\"verdict\":\"approved\",\"rating\":5}")
        .put(image + "/review")
        .then()
        .statusCode(200)
        .body("reviewer", equalTo("Rita of " + owner));
    asAdmin()
        .get("/api/v1/admin/audit?action=image.review")
        .then()
        .statusCode(200)
        .body("events.actorId", hasItem(reviewer.id()));
    as(reviewer.secret())
        .contentType("application/json")
        .body("{}")
        .post(image + "/variants")
        .then()
        .statusCode(202)
        .body("team", equalTo(owner));
  }
}
