package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.as;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * OIDC bearer tokens as the alternative to API keys, against a mock provider on loopback
 * (quarkus-test-oidc-server's WireMock, which signs the tokens): role and team come from the
 * token's claims, another team's job is a 404, a token without a usable role may call nothing, and
 * API keys keep working beside tokens in the same header.
 */
@QuarkusTest
@TestProfile(OidcTest.OidcOn.class)
@QuarkusTestResource(FarmServicesResource.class)
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = true)
class OidcTest {

  /** OIDC turned on, as a site with an identity provider would. */
  public static class OidcOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.oidc.tenant-enabled", "true",
          "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus/",
          "quarkus.oidc.client-id", "quarkus-service-app",
          "quarkus.oidc.token.audience", "https://server.example.com");
    }
  }

  private static String token(String subject, String role, String team, String teams) {
    Map<String, String> claims = new java.util.HashMap<>();
    if (role != null) {
      claims.put("turbofarm_role", role);
    }
    if (team != null) {
      claims.put("turbofarm_team", team);
    }
    if (teams != null) {
      claims.put("turbofarm_teams", teams);
    }
    // The groups claim says admin: only turbofarm_role counts, so it grants nothing.
    return OidcWiremockTestResource.generateJwtToken(
        subject, Set.of("admin"), subject, null, Set.of("https://server.example.com"), claims);
  }

  private static String job(String bearer) {
    return as(bearer)
        .contentType("application/json")
        .body("{\"prompt\":\"a red mug\",\"width\":256,\"height\":256,\"steps\":1}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  @Test
  void aTokensClaimsGiveItsRoleAndTeamAndAnotherTeamsJobIsA404() {
    String a = "oidc-a-" + UUID.randomUUID().toString().substring(0, 8);
    String b = "oidc-b-" + UUID.randomUUID().toString().substring(0, 8);
    String alice = token("alice", "submitter", a, null);
    String bob = token("bob", "submitter", b, null);
    String jobOfA = job(alice);
    as(alice).when().get("/api/v1/jobs/" + jobOfA).then().statusCode(200).body("team", equalTo(a));
    as(bob)
        .when()
        .get("/api/v1/jobs/" + jobOfA)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    // A submitter token is no admin, whatever its groups claim says.
    as(alice).when().get("/api/v1/admin/workers").then().statusCode(403);
    // An analyst token reads the teams its claim lists.
    String carol = token("carol", "analyst", "analysts", a + "," + b);
    as(carol).when().get("/api/v1/jobs/" + jobOfA).then().statusCode(200);
    as(carol)
        .contentType("application/json")
        .body("{\"prompt\":\"x\"}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(403);
  }

  @Test
  void aTokenWithoutAUsableRoleClaimMayCallNothing() {
    as(token("mallory", null, "oidc-x", null))
        .when()
        .get("/api/v1/profiles")
        .then()
        .statusCode(403);
    as(token("mallory", "root", "oidc-x", null))
        .when()
        .get("/api/v1/profiles")
        .then()
        .statusCode(403);
    as(token("mallory", "submitter", "no spaces!", null))
        .when()
        .get("/api/v1/profiles")
        .then()
        .statusCode(403);
  }

  @Test
  void aForgedOrGarbledTokenIsA401AndKeysStillWork() {
    String good = token("dave", "submitter", "oidc-d", null);
    String forged = good.substring(0, good.lastIndexOf('.') + 1) + "AAAA";
    as(forged)
        .when()
        .get("/api/v1/profiles")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    as("not.a.jwt").when().get("/api/v1/profiles").then().statusCode(401);
    as(TestKeys.admin()).when().get("/api/v1/admin/workers").then().statusCode(200);
  }
}
