package dev.turbofarm.coordinator;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys for the coordinator's {@code @QuarkusTest}s. {@link #ADMIN} is the bootstrap admin key
 * of the test profile ({@code turbofarm.security.bootstrap-admin-key}); every other key is created
 * through {@code POST /api/v1/admin/keys} with it, as a person would. Keys are cached per team and
 * role for the test JVM, so tests that share a team share a key.
 *
 * <pre>{@code
 * TestKeys.as(TestKeys.submitter("shop")).body(...).post("/api/v1/jobs")
 * TestKeys.asAdmin().post("/api/v1/admin/dispatch/pause")
 * }</pre>
 */
public final class TestKeys {
  /** The test profile's bootstrap admin key (team {@code default}). */
  public static final String ADMIN = "tf_coordinator-tests-bootstrap-admin-key-0000000001";

  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private TestKeys() {}

  /** A key just created: its id and its secret ({@code tf_...}). */
  public record Created(String id, String secret) {}

  /** The admin key. */
  public static String admin() {
    return ADMIN;
  }

  /** A submitter key of {@code team} (one per team in this JVM). */
  public static String submitter(String team) {
    return CACHE.computeIfAbsent(
        "submitter/" + team,
        k ->
            create("submitter", team, List.of(), "test submitter of " + team, null, null).secret());
  }

  /** An analyst key of {@code team} that may also read {@code readTeams}. */
  public static String analyst(String team, String... readTeams) {
    return CACHE.computeIfAbsent(
        "analyst/" + team + "/" + String.join(",", readTeams),
        k ->
            create("analyst", team, List.of(readTeams), "test analyst of " + team, null, null)
                .secret());
  }

  /** A further admin key of {@code team} (the bootstrap admin's team is {@code default}). */
  public static String adminOf(String team) {
    return CACHE.computeIfAbsent(
        "admin/" + team,
        k -> create("admin", team, List.of(), "test admin of " + team, null, null).secret());
  }

  /**
   * Creates a key through the admin API.
   *
   * @param teams further readable teams (analysts only)
   * @param rateLimit requests/s of the key, or null for the default
   * @param expiresAt when it expires, or null for never
   */
  public static Created create(
      String role,
      String team,
      List<String> teams,
      String name,
      Integer rateLimit,
      OffsetDateTime expiresAt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("role", role);
    body.put("team", team);
    body.put("teams", teams);
    if (rateLimit != null) {
      body.put("rateLimit", rateLimit);
    }
    if (expiresAt != null) {
      body.put("expiresAt", expiresAt.toString());
    }
    JsonPath created =
        asAdmin()
            .contentType(ContentType.JSON)
            .body(body)
            .when()
            .post("/api/v1/admin/keys")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    return new Created(created.getString("key.id"), created.getString("secret"));
  }

  /** A request sent with {@code key}. */
  public static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key);
  }

  /** A request sent with the admin key. */
  public static RequestSpecification asAdmin() {
    return as(ADMIN);
  }

  /** A request sent with {@code team}'s submitter key. */
  public static RequestSpecification asSubmitter(String team) {
    return as(submitter(team));
  }

  /** The Authorization header's value for {@code key}, for clients other than RestAssured. */
  public static String bearer(String key) {
    return "Bearer " + key;
  }
}
