package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.as;
import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Identity on real parts: every endpoint needs a credential (the list comes from the OpenAPI
 * document, so a new endpoint is covered without touching this test), roles, team ownership as
 * 404s, revocation and expiry, the audit trail, the key list without secrets, rate and stream
 * limits, and the management interface apart from the API.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class SecurityTest {

  private static String team(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Every operation of the OpenAPI document: method and path template. */
  @SuppressWarnings("unchecked")
  static List<String[]> operations() {
    JsonPath doc =
        given()
            .accept("application/json")
            .when()
            .get("/api/v1/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    Map<String, Map<String, Object>> paths = doc.getMap("paths");
    List<String[]> ops = new ArrayList<>();
    paths.forEach(
        (path, methods) ->
            methods.keySet().stream()
                .filter(m -> List.of("get", "post", "put", "delete", "patch").contains(m))
                .forEach(m -> ops.add(new String[] {m.toUpperCase(), path})));
    return ops;
  }

  /** A concrete path for a template: every {param} becomes a random UUID. */
  static String concrete(String template) {
    return template.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
  }

  @Test
  void everyApiEndpointWithoutACredentialIsA401Problem() {
    List<String[]> ops = operations();
    assertThat(ops.stream().map(o -> o[1]))
        .as("the document lists the API")
        .contains(
            "/api/v1/jobs",
            "/api/v1/batches/{id}/manifest",
            "/api/v1/admin/keys",
            "/api/v1/admin/audit",
            "/api/v1/admin/dispatch/pause");
    int checked = 0;
    for (String[] op : ops) {
      if (!op[1].startsWith("/api/v1/")) {
        continue;
      }
      String path = concrete(op[1]);
      for (String credential :
          new String[] {null, "Bearer tf_" + "x".repeat(43), "Bearer not-a-key", "Basic YTpi"}) {
        var spec = given().contentType("application/json").body("{}");
        if (credential != null) {
          spec = spec.header("Authorization", credential);
        }
        spec.when()
            .request(op[0], path)
            .then()
            .statusCode(401)
            .contentType("application/problem+json")
            .header("WWW-Authenticate", containsString("Bearer"))
            .body("status", equalTo(401));
      }
      checked++;
    }
    System.out.printf("no credential: %d operations answered 401 problem+json%n", checked);
    assertThat(checked).isGreaterThanOrEqualTo(14);
  }

  @Test
  void theOpenApiDocumentIsPublicAndNamesTheSecuritySchemesAndRoles() {
    JsonPath doc =
        given()
            .when()
            .get("/api/v1/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(doc.getMap("components.securitySchemes")).containsKeys("apiKey", "oidc");
    assertThat(doc.getString("paths.'/api/v1/admin/dispatch/pause'.post.description"))
        .contains("admin");
    assertThat(doc.getString("paths.'/api/v1/jobs'.post.description")).contains("submitter");
    assertThat(doc.getMap("paths.'/api/v1/jobs'.post.responses")).containsKeys("401", "403");
  }

  @Test
  void anotherTeamsJobBatchManifestAndEventsAre404s() {
    String a = team("own-a");
    String b = team("own-b");
    String job =
        as(TestKeys.submitter(a))
            .contentType("application/json")
            .body("{\"prompt\":\"a red mug\",\"width\":256,\"height\":256,\"steps\":1}")
            .when()
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .body("team", equalTo(a))
            .extract()
            .path("id");
    String batch =
        as(TestKeys.submitter(a))
            .contentType("text/csv")
            .body("sku,prompt\nS-1,a blue lamp\n")
            .when()
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .body("team", equalTo(a))
            .extract()
            .path("id");
    String other = TestKeys.submitter(b);
    for (String path :
        List.of(
            "/api/v1/jobs/" + job,
            "/api/v1/batches/" + batch,
            "/api/v1/batches/" + batch + "/manifest",
            "/api/v1/batches/" + batch + "/events")) {
      as(other)
          .when()
          .get(path)
          .then()
          .statusCode(404)
          .contentType("application/problem+json")
          .body("detail", containsString(path.contains("jobs") ? job : batch));
    }
    as(other).when().post("/api/v1/batches/" + batch + "/cancel").then().statusCode(404);
    // The owner and an admin see them; the unknown id answers exactly like the foreign one.
    as(TestKeys.submitter(a)).when().get("/api/v1/jobs/" + job).then().statusCode(200);
    asAdmin().when().get("/api/v1/batches/" + batch).then().statusCode(200);
    String unknown = UUID.randomUUID().toString();
    String foreign = as(other).when().get("/api/v1/jobs/" + job).then().extract().path("title");
    assertThat(foreign)
        .isEqualTo(as(other).when().get("/api/v1/jobs/" + unknown).then().extract().path("title"));
    asAdmin().when().post("/api/v1/batches/" + batch + "/cancel").then().statusCode(200);
  }

  @Test
  void aBodyOrQueryTeamThatIsNotTheKeysIsA403ButAnAdminMayActForAnyTeam() {
    String a = team("body-a");
    as(TestKeys.submitter(a))
        .contentType("application/json")
        .body("{\"prompt\":\"a red mug\",\"team\":\"someone-else\"}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("detail", containsString("team"));
    as(TestKeys.submitter(a))
        .contentType("text/csv")
        .body("sku,prompt\nS-1,a blue lamp\n")
        .when()
        .post("/api/v1/batches?team=someone-else")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    // Its own team named explicitly is fine.
    as(TestKeys.submitter(a))
        .contentType("application/json")
        .body("{\"prompt\":\"a red mug\",\"team\":\"" + a + "\",\"width\":256,\"height\":256}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(202);
    String forB = team("admin-for");
    asAdmin()
        .contentType("application/json")
        .body("{\"prompt\":\"a red mug\",\"team\":\"" + forB + "\",\"width\":256,\"height\":256}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .body("team", equalTo(forB));
  }

  @Test
  void rolesDecideWhatACallerMayDo() {
    String a = team("roles-a");
    String granted = team("roles-granted");
    as(TestKeys.submitter(a))
        .when()
        .post("/api/v1/admin/dispatch/pause")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("status", equalTo(403));
    as(TestKeys.submitter(a)).when().get("/api/v1/admin/keys").then().statusCode(403);
    String analyst = TestKeys.analyst(a, granted);
    as(analyst)
        .contentType("application/json")
        .body("{\"prompt\":\"a red mug\"}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    as(analyst)
        .contentType("text/csv")
        .body("sku,prompt\nS-1,a lamp\n")
        .when()
        .post("/api/v1/batches")
        .then()
        .statusCode(403);
    as(analyst).when().get("/api/v1/profiles").then().statusCode(200);
    // An analyst reads the teams on its key, and only those.
    String grantedJob = submitSmallJob(granted);
    String otherJob = submitSmallJob(team("roles-other"));
    as(analyst).when().get("/api/v1/jobs/" + grantedJob).then().statusCode(200);
    as(analyst).when().get("/api/v1/jobs/" + otherJob).then().statusCode(404);
  }

  private static String submitSmallJob(String team) {
    return as(TestKeys.submitter(team))
        .contentType("application/json")
        .body("{\"prompt\":\"a green bottle\",\"width\":256,\"height\":256,\"steps\":1}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  @Test
  void revokedAndExpiredKeysAre401sAndTheListNeverShowsASecret() {
    String t = team("life");
    TestKeys.Created revoked =
        TestKeys.create("submitter", t, List.of(), "to be revoked", null, null);
    TestKeys.Created expiring =
        TestKeys.create(
            "submitter", t, List.of(), "expiring", null, OffsetDateTime.now().plusSeconds(3));
    as(revoked.secret()).when().get("/api/v1/profiles").then().statusCode(200);
    as(expiring.secret()).when().get("/api/v1/profiles").then().statusCode(200);

    asAdmin()
        .when()
        .delete("/api/v1/admin/keys/" + revoked.id())
        .then()
        .statusCode(200)
        .body("state", equalTo("REVOKED"))
        .body("revokedAt", notNullValue());
    as(revoked.secret())
        .when()
        .get("/api/v1/profiles")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    await()
        .alias("the expiring key stops working")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                as(expiring.secret()).when().get("/api/v1/profiles").then().extract().statusCode(),
            s -> s == 401);
    asAdmin().when().delete("/api/v1/admin/keys/" + UUID.randomUUID()).then().statusCode(404);

    String list =
        asAdmin()
            .when()
            .get("/api/v1/admin/keys?revoked=true")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(list)
        .contains(revoked.id(), expiring.id())
        .doesNotContain(revoked.secret(), expiring.secret(), TestKeys.ADMIN, "secret", "hash");
    JsonPath keys = JsonPath.from(list);
    assertThat(keys.getString("find { it.id == '" + expiring.id() + "' }.state"))
        .isEqualTo("EXPIRED");
    assertThat(keys.getString("find { it.id == '" + revoked.id() + "' }.prefix"))
        .isEqualTo(revoked.secret().substring(0, 9));
  }

  @Test
  void aKeysLastUseIsRecorded() {
    TestKeys.Created k =
        TestKeys.create("submitter", team("used"), List.of(), "last use", null, null);
    JsonPath before = asAdmin().when().get("/api/v1/admin/keys").then().extract().jsonPath();
    assertThat(before.getString("find { it.id == '" + k.id() + "' }.lastUsedAt")).isNull();
    as(k.secret()).when().get("/api/v1/profiles").then().statusCode(200);
    JsonPath after = asAdmin().when().get("/api/v1/admin/keys").then().extract().jsonPath();
    assertThat(after.getString("find { it.id == '" + k.id() + "' }.lastUsedAt")).isNotNull();
  }

  @Test
  void newKeysAreValidatedNamingEachField() {
    asAdmin()
        .contentType("application/json")
        .body(
            "{\"name\":\"\",\"role\":\"root\",\"team\":\"no spaces\",\"teams\":[\"x\"],"
                + "\"rateLimit\":0,\"expiresAt\":\"2000-01-01T00:00:00Z\"}")
        .when()
        .post("/api/v1/admin/keys")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("role"))
        .body("errors.field", hasItem("team"))
        .body("errors.field", hasItem("rateLimit"))
        .body("errors.field", hasItem("expiresAt"));
  }

  @Test
  void cancellationsAndAdminActionsAreAuditedWithWhoAndWhat() {
    String t = team("audited");
    TestKeys.Created k = TestKeys.create("submitter", t, List.of(), "Alice of " + t, null, null);
    String batch =
        as(k.secret())
            .contentType("text/csv")
            .body("sku,prompt\nS-1,a blue lamp\n")
            .when()
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    as(k.secret()).when().post("/api/v1/batches/" + batch + "/cancel").then().statusCode(200);
    asAdmin()
        .contentType("application/json")
        .body("{\"reason\":\"audit test\"}")
        .when()
        .post("/api/v1/admin/dispatch/pause")
        .then()
        .statusCode(200);
    asAdmin().when().post("/api/v1/admin/dispatch/resume").then().statusCode(200);

    asAdmin()
        .when()
        .get("/api/v1/admin/audit?target=batch:" + batch)
        .then()
        .statusCode(200)
        .body("events[0].action", equalTo("batch.cancel"))
        .body("events[0].actorId", equalTo(k.id()))
        .body("events[0].actorName", equalTo("Alice of " + t))
        .body("events[0].actorTeam", equalTo(t))
        .body("events[0].at", notNullValue());
    asAdmin()
        .when()
        .get("/api/v1/admin/audit?action=dispatch.pause")
        .then()
        .statusCode(200)
        .body("events[0].detail", equalTo("audit test"))
        .body("events[0].actorName", equalTo("bootstrap admin"));
    asAdmin()
        .when()
        .get("/api/v1/admin/audit?target=api-key:" + k.id())
        .then()
        .body("events.action", hasItem("key.create"));

    // Keyset paging: two pages of one event each, newest first, no overlap.
    JsonPath first =
        asAdmin().when().get("/api/v1/admin/audit?limit=1").then().extract().jsonPath();
    long next = first.getLong("next");
    JsonPath second =
        asAdmin()
            .when()
            .get("/api/v1/admin/audit?limit=1&before=" + next)
            .then()
            .extract()
            .jsonPath();
    assertThat(second.getLong("events[0].id")).isLessThan(first.getLong("events[0].id"));
    asAdmin()
        .when()
        .get("/api/v1/admin/audit?limit=0&since=yesterday")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("limit"))
        .body("errors.field", hasItem("since"));
  }

  @Test
  void aKeyOverItsRateGets429WithRetryAfter() {
    TestKeys.Created k = TestKeys.create("submitter", team("rate"), List.of(), "slow", 1, null);
    int limited = 0;
    String retryAfter = null;
    for (int i = 0; i < 20; i++) {
      Response r = as(k.secret()).when().get("/api/v1/profiles");
      if (r.statusCode() == 429) {
        limited++;
        retryAfter = r.header("Retry-After");
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains("1 requests/s");
      } else {
        assertThat(r.statusCode()).isEqualTo(200);
      }
    }
    // 1 request/s with a burst of 4 s: at most 4-5 of 20 rapid requests pass.
    assertThat(limited).isGreaterThanOrEqualTo(14);
    assertThat(Integer.parseInt(retryAfter)).isBetween(1, 5);
    // The admin key is exempt by default: the farm's own tools are never slowed.
    for (int i = 0; i < 100; i++) {
      asAdmin().when().get("/api/v1/profiles").then().statusCode(200);
    }
  }

  @Test
  void aKeyMayHoldOnlySoManyStreamsAndGetsThemBackWhenTheyEnd() throws Exception {
    String t = team("streams");
    String key = TestKeys.create("submitter", t, List.of(), "streamer", null, null).secret();
    int max =
        ConfigProvider.getConfig()
            .getOptionalValue("turbofarm.security.streams.per-key", Integer.class)
            .orElse(8);
    String batch;
    List<HttpResponse<InputStream>> open = new ArrayList<>();
    HttpClient http = HttpClient.newHttpClient();
    asAdmin().contentType("application/json").body("{}").post("/api/v1/admin/dispatch/pause");
    try {
      batch =
          as(key)
              .contentType("text/csv")
              .body("sku,prompt\nS-1,a blue lamp\n")
              .when()
              .post("/api/v1/batches")
              .then()
              .statusCode(202)
              .extract()
              .path("id");
      for (int i = 0; i < max; i++) {
        HttpResponse<InputStream> r = events(http, key, batch);
        assertThat(r.statusCode()).as("stream %d of %d", i + 1, max).isEqualTo(200);
        open.add(r);
      }
      HttpResponse<InputStream> over = events(http, key, batch);
      assertThat(over.statusCode()).isEqualTo(429);
      assertThat(over.headers().firstValue("Retry-After")).isPresent();
      over.body().close();
      // Another key is not affected.
      as(TestKeys.admin())
          .when()
          .get("/api/v1/batches/" + batch + "/manifest")
          .then()
          .statusCode(200);
    } finally {
      for (HttpResponse<InputStream> r : open) {
        r.body().close();
      }
      asAdmin().post("/api/v1/admin/dispatch/resume");
    }
    // Closed by the client: the server notices at its next event and frees the places.
    await()
        .alias("a stream opens again after the others closed")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              HttpResponse<InputStream> r = events(http, key, batch);
              r.body().close();
              return r.statusCode();
            },
            s -> s == 200);
    as(key).when().post("/api/v1/batches/" + batch + "/cancel").then().statusCode(200);
  }

  private static HttpResponse<InputStream> events(HttpClient http, String key, String batch)
      throws Exception {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/batches/" + batch + "/events"))
            .header("Accept", "text/event-stream")
            .header("Authorization", TestKeys.bearer(key))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void healthAndMetricsAreOnTheManagementInterfaceOnly() {
    given().when().get("/q/health/ready").then().statusCode(404);
    given().when().get("/q/metrics").then().statusCode(404);
    given().when().get(Management.url("/q/health/ready")).then().statusCode(200);
    given()
        .when()
        .get(Management.url("/q/metrics"))
        .then()
        .statusCode(200)
        .body(containsString("turbofarm_jobs_accepted_total"));
    given().when().get(Management.url("/q/swagger-ui/")).then().statusCode(200);
  }
}
