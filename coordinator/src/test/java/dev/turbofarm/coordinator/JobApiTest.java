package dev.turbofarm.coordinator;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The job API's contract: 202 with Location, validation as problem+json naming the field. */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class JobApiTest {
  /** This class's team: its submitter key sends every request. */
  private static final String TEAM = "job-api";

  private static io.restassured.response.ValidatableResponse post(String body) {
    return TestKeys.asSubmitter(TEAM)
        .contentType("application/json")
        .body(body)
        .when()
        .post("/api/v1/jobs")
        .then();
  }

  @Test
  void acceptsAJobWithLocationAndResolvedProfile() {
    String location =
        post("{\"prompt\":\"a red mug on a white background\",\"profile\":\"concept-square\",\"steps\":12}")
            .statusCode(202)
            .header("Location", containsString("/api/v1/jobs/"))
            .body("state", equalTo("QUEUED"))
            .body("width", equalTo(768))
            .body("height", equalTo(768))
            .body("steps", equalTo(12))
            .body("guidance", equalTo(6.0f))
            .body("seeds", hasSize(1))
            .extract()
            .header("Location");
    TestKeys.asSubmitter(TEAM)
        .when()
        .get(location)
        .then()
        .statusCode(200)
        .body("prompt", equalTo("a red mug on a white background"));
  }

  @Test
  void widthNotAMultipleOf64IsA400NamingWidth() {
    post("{\"prompt\":\"a mug\",\"width\":1000}")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400))
        .body("errors.field", hasItem("width"))
        .body("detail", containsString("width"));
  }

  @Test
  void everyBadFieldIsNamed() {
    post("{\"prompt\":\"\",\"height\":4096,\"steps\":0,\"guidance\":25,\"count\":9,\"profile\":\"huge\",\"seed\":-1}")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("prompt"))
        .body("errors.field", hasItem("height"))
        .body("errors.field", hasItem("steps"))
        .body("errors.field", hasItem("guidance"))
        .body("errors.field", hasItem("count"))
        .body("errors.field", hasItem("profile"))
        .body("errors.field", hasItem("seed"));
  }

  @Test
  void promptOverTwoThousandCharactersIsRejected() {
    post("{\"prompt\":\"" + "a".repeat(2001) + "\"}")
        .statusCode(400)
        .body("errors.field", hasItem("prompt"));
  }

  @Test
  void malformedJsonIsA400NotA500() {
    post("{\"prompt\": \"a mug\",")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("title", notNullValue());
  }

  @Test
  void wrongTypeNamesTheField() {
    post("{\"prompt\":\"a mug\",\"width\":\"wide\"}")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("width"));
  }

  @Test
  void emptyBodyIsA400() {
    TestKeys.asSubmitter(TEAM)
        .contentType("application/json")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void unknownJobIsA404Problem() {
    TestKeys.asSubmitter(TEAM)
        .when()
        .get("/api/v1/jobs/00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("00000000-0000-0000-0000-000000000000"));
  }

  @Test
  void profilesAreListedWithTheirValues() {
    TestKeys.asSubmitter(TEAM)
        .when()
        .get("/api/v1/profiles")
        .then()
        .statusCode(200)
        .body("name", hasItem("draft"))
        .body("find { it.name == 'article-landscape' }.width", equalTo(1024))
        .body("find { it.name == 'article-landscape' }.height", equalTo(576))
        .body("find { it.name == 'portrait' }.width", equalTo(576));
  }
}
