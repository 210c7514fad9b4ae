package dev.turbofarm.coordinator;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console over plain HTTP (the browser tests are {@link ConsoleBrowserTest}): sign-in with an
 * API key gives an HttpOnly, SameSite=Strict cookie that never holds the key; the cookie
 * authenticates console pages and API GETs but no API write; every console write needs the
 * session's CSRF token; pages show only what the key's role may see; and every page renders.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class ConsoleTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

  /** A signed-in session: its cookie and CSRF token. */
  record Session(String cookie, String csrf) {}

  static Session signIn(String key) {
    Response form = given().redirects().follow(false).when().get("/console/sign-in");
    form.then().statusCode(200).body(containsString("name=\"apiKey\""));
    String formToken = form.getCookie("tf_sign_in");
    assertNotNull(formToken, "the sign-in form sets its double-submit cookie");
    Response signed =
        given()
            .redirects()
            .follow(false)
            .cookie("tf_sign_in", formToken)
            .formParam("apiKey", key)
            .formParam("_csrf", formToken)
            .when()
            .post("/console/sign-in");
    signed.then().statusCode(303);
    String setCookie =
        signed.getHeaders().getValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("tf_console="))
            .findFirst()
            .orElseThrow();
    assertTrue(setCookie.contains("HttpOnly"), setCookie);
    assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
    assertTrue(!setCookie.contains(key), "the cookie never holds the key");
    String cookie = signed.getCookie("tf_console");
    String page =
        given()
            .cookie("tf_console", cookie)
            .when()
            .get("/console/batches")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    Matcher m = CSRF.matcher(page);
    assertTrue(m.find(), "each page carries the session's CSRF token");
    return new Session(cookie, m.group(1));
  }

  @Test
  void aWrongKeyOrAForgedFormIsRefused() {
    Response form = given().when().get("/console/sign-in");
    String token = form.getCookie("tf_sign_in");
    given()
        .cookie("tf_sign_in", token)
        .formParam("apiKey", "tf_" + "x".repeat(43))
        .formParam("_csrf", token)
        .when()
        .post("/console/sign-in")
        .then()
        .statusCode(401)
        .body(containsString("not accepted"));
    given()
        .cookie("tf_sign_in", token)
        .formParam("apiKey", TestKeys.admin())
        .formParam("_csrf", "forged")
        .when()
        .post("/console/sign-in")
        .then()
        .statusCode(403);
    // Without a session every page sends the browser to the sign-in form.
    given()
        .redirects()
        .follow(false)
        .when()
        .get("/console/jobs/new")
        .then()
        .statusCode(303)
        .header("Location", containsString("/console/sign-in"));
  }

  @Test
  void theCookieAuthenticatesGetsAndConsoleWritesWithTheCsrfTokenOnly() {
    String team = BatchFlowTest.team("console");
    Session s = signIn(TestKeys.submitter(team));
    // An API GET with the cookie: the caller's own list.
    given().cookie("tf_console", s.cookie()).when().get("/api/v1/jobs").then().statusCode(200);
    // An API write with the cookie alone is not authenticated: the API's writes need the header.
    given()
        .cookie("tf_console", s.cookie())
        .contentType("application/json")
        .body("{\"prompt\":\"a mug\"}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(401);
    // A console write without the CSRF token is refused, with it accepted.
    given()
        .cookie("tf_console", s.cookie())
        .formParam("prompt", "a red mug")
        .formParam("width", "512")
        .formParam("height", "512")
        .when()
        .post("/console/jobs")
        .then()
        .statusCode(403);
    String card =
        given()
            .cookie("tf_console", s.cookie())
            .header("X-CSRF-Token", s.csrf())
            .formParam("prompt", "a red mug")
            .formParam("width", "512")
            .formParam("height", "512")
            .formParam("stepProfile", "explore")
            .formParam("guidance", "6.0")
            .formParam("count", "1")
            .when()
            .post("/console/jobs")
            .then()
            .statusCode(200)
            .body(containsString("a red mug"))
            .extract()
            .asString();
    assertTrue(card.contains("hx-get=\"/console/jobs/"), "a card that is not done polls: " + card);
    // A bad size comes back as the API's field problems, shown on the form.
    given()
        .cookie("tf_console", s.cookie())
        .header("X-CSRF-Token", s.csrf())
        .formParam("prompt", "a mug")
        .formParam("width", "1000")
        .formParam("height", "512")
        .when()
        .post("/console/jobs")
        .then()
        .statusCode(200)
        .body(containsString("width:"));
    // Signed out, the cookie is worth nothing.
    given()
        .cookie("tf_console", s.cookie())
        .header("X-CSRF-Token", s.csrf())
        .when()
        .post("/console/sign-out")
        .then()
        .statusCode(200);
    given().cookie("tf_console", s.cookie()).when().get("/api/v1/jobs").then().statusCode(401);
  }

  @Test
  void pagesFollowTheRole() {
    String team = BatchFlowTest.team("console-roles");
    Session analyst = signIn(TestKeys.analyst(team));
    given()
        .cookie("tf_console", analyst.cookie())
        .when()
        .get("/console/workers")
        .then()
        .statusCode(403);
    given()
        .cookie("tf_console", analyst.cookie())
        .when()
        .get("/console/jobs/new")
        .then()
        .statusCode(403);
    given()
        .cookie("tf_console", analyst.cookie())
        .when()
        .get("/console/history")
        .then()
        .statusCode(200)
        .body(containsString("history-chart"))
        .body(not(containsString("href=\"/console/workers\"")));
    Session admin = signIn(TestKeys.admin());
    for (String page :
        new String[] {
          "/console/workers", "/console/dead-letters", "/console/history", "/console/jobs/new"
        }) {
      given()
          .cookie("tf_console", admin.cookie())
          .when()
          .get(page)
          .then()
          .statusCode(200)
          .body(containsString("href=\"/console/workers\""));
    }
    // Console assets and the libraries come from the coordinator itself.
    for (String asset :
        new String[] {
          "/webjars/htmx.org/2.0.4/dist/htmx.min.js",
          "/webjars/htmx-ext-sse/2.2.2/sse.js",
          "/webjars/chart.js/4.4.1/dist/chart.umd.js",
          "/console-assets/console.js",
          "/console-assets/console.css"
        }) {
      given().when().get(asset).then().statusCode(200);
    }
    // An admin's dispatch pause and resume from the console (CSRF header as htmx sends it).
    given()
        .cookie("tf_console", admin.cookie())
        .header("X-CSRF-Token", admin.csrf())
        .formParam("reason", "console test")
        .when()
        .post("/console/dispatch/pause")
        .then()
        .statusCode(200)
        .body(containsString("paused"));
    given()
        .cookie("tf_console", admin.cookie())
        .header("X-CSRF-Token", admin.csrf())
        .when()
        .post("/console/dispatch/resume")
        .then()
        .statusCode(200)
        .body(containsString("id=\"dispatch-state\">running"));
    TestKeys.asAdmin().when().get("/api/v1/admin/dispatch").then().body("paused", equalTo(false));
  }

  @Test
  void anAdminCordonsAndUncordonsAWorkerFromTheConsoleWithTheCsrfToken() {
    TestWorker.ensureStarted();
    Session admin = signIn(TestKeys.admin());
    String cordon = "/console/workers/" + TestWorker.ID + "/cordon";
    try {
      given()
          .cookie("tf_console", admin.cookie())
          .formParam("reason", "no token")
          .when()
          .post(cordon)
          .then()
          .statusCode(403);
      Session submitter = signIn(TestKeys.submitter(BatchFlowTest.team("console-workers")));
      given()
          .cookie("tf_console", submitter.cookie())
          .header("X-CSRF-Token", submitter.csrf())
          .when()
          .post(cordon)
          .then()
          .statusCode(403);
      TestKeys.asAdmin()
          .get("/api/v1/admin/workers")
          .then()
          .body("find { it.id == '" + TestWorker.ID + "' }.state", not(equalTo("CORDONED")));

      given()
          .cookie("tf_console", admin.cookie())
          .header("X-CSRF-Token", admin.csrf())
          .formParam("reason", "fan noise on the host")
          .when()
          .post(cordon)
          .then()
          .statusCode(200)
          .body(containsString("data-control=\"CORDONED\""))
          .body(containsString("fan noise on the host"))
          .body(containsString("/console/workers/" + TestWorker.ID + "/uncordon"));
      TestKeys.asAdmin()
          .get("/api/v1/admin/workers")
          .then()
          .body("find { it.id == '" + TestWorker.ID + "' }.state", equalTo("CORDONED"))
          .body(
              "find { it.id == '" + TestWorker.ID + "' }.controlReason",
              equalTo("fan noise on the host"));
      TestKeys.asAdmin()
          .get("/api/v1/admin/audit?action=worker.cordon&target=worker:" + TestWorker.ID)
          .then()
          .statusCode(200)
          .body("events[0].detail", equalTo("fan noise on the host"));

      given()
          .cookie("tf_console", admin.cookie())
          .header("X-CSRF-Token", admin.csrf())
          .when()
          .post("/console/workers/" + TestWorker.ID + "/uncordon")
          .then()
          .statusCode(200)
          .body(containsString("data-control=\"\""));
      TestKeys.asAdmin()
          .get("/api/v1/admin/workers")
          .then()
          .body("find { it.id == '" + TestWorker.ID + "' }.state", not(equalTo("CORDONED")));
      // The page lists the worker with its buttons.
      given()
          .cookie("tf_console", admin.cookie())
          .when()
          .get("/console/workers")
          .then()
          .statusCode(200)
          .body(containsString("id=\"worker-" + TestWorker.ID + "\""))
          .body(containsString(cordon));
    } finally {
      TestKeys.asAdmin().post("/api/v1/admin/workers/" + TestWorker.ID + "/uncordon");
    }
  }

  @Test
  void theJobsPageShowsSingleJobsImagesToTheirTeamAndToAdmins() {
    TestWorker.ensureStarted();
    String team = BatchFlowTest.team("console-jobs");
    String job =
        TestKeys.asSubmitter(team)
            .contentType("application/json")
            .body("{\"prompt\":\"a lone teapot for the jobs page\",\"team\":\"" + team + "\"}")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    await("the job renders")
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () -> TestKeys.asAdmin().get("/api/v1/jobs/" + job).then().extract().path("state"),
            "SUCCEEDED"::equals);
    String thumbnail = "/api/v1/jobs/" + job + "/images/0";
    // An admin (another team) sees every team's jobs by default, with the image and its page.
    Session admin = signIn(TestKeys.admin());
    given()
        .cookie("tf_console", admin.cookie())
        .get("/console/jobs")
        .then()
        .statusCode(200)
        .body(containsString("a lone teapot for the jobs page"))
        .body(containsString("href=\"/console/images/" + job + "/0\""))
        .body(containsString(thumbnail))
        .body(containsString("href=\"/console/jobs?team=" + team + "\""));
    // The farm's own warm-up jobs stay off the every-team page, and are one link away.
    String warmUp =
        TestKeys.asSubmitter("farm-warmup")
            .contentType("application/json")
            .body("{\"prompt\":\"farm warm-up for the jobs page\",\"team\":\"farm-warmup\"}")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    given()
        .cookie("tf_console", admin.cookie())
        .get("/console/jobs")
        .then()
        .statusCode(200)
        .body(not(containsString(warmUp)))
        .body(containsString("a lone teapot for the jobs page"))
        .body(containsString("href=\"/console/jobs?team=farm-warmup\""));
    given()
        .cookie("tf_console", admin.cookie())
        .get("/console/jobs?team=farm-warmup")
        .then()
        .statusCode(200)
        .body(containsString("data-job=\"" + warmUp + "\""));
    // The owner sees it; another team's submitter does not, and may not ask for it.
    Session owner = signIn(TestKeys.submitter(team));
    given()
        .cookie("tf_console", owner.cookie())
        .get("/console/jobs")
        .then()
        .statusCode(200)
        .body(containsString(thumbnail));
    Session other = signIn(TestKeys.submitter(BatchFlowTest.team("console-jobs-other")));
    given()
        .cookie("tf_console", other.cookie())
        .get("/console/jobs")
        .then()
        .statusCode(200)
        .body(not(containsString(thumbnail)))
        .body(not(containsString("team=" + team)));
    given()
        .cookie("tf_console", other.cookie())
        .get("/console/jobs?team=" + team)
        .then()
        .statusCode(404);
  }
}
