package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.turbofarm.common.seed.Seeds;
import dev.turbofarm.testfixtures.ChaosPipeline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed reuse through the API on the in-JVM chaos worker (instant renders): step profiles, variants
 * (the parent's seed plus each pool offset, mod 2^32), refine, rerun, lineage both ways, the team's
 * seed pool, and routing by model (an unknown model is a 422 naming the known ones).
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class SeedApiTest {

  @BeforeAll
  static void startWorker() {
    TestWorker.ensureStarted();
  }

  static String team() {
    return "seeds-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A rendered explore job of {@code count} small images from {@code seed}; returns its id. */
  static String rendered(String team, long seed, int count) {
    String id =
        JobFlowTest.submit(
            "{\"prompt\":\"a red mug on a white background\",\"team\":\""
                + team
                + "\",\"seed\":"
                + seed
                + ",\"count\":"
                + count
                + ",\"width\":256,\"height\":256,\"steps\":\"explore\"}");
    assertThat(JobFlowTest.awaitTerminal(id).getString("state")).isEqualTo("SUCCEEDED");
    return id;
  }

  static JsonPath post(String path, String body, int status) {
    return asAdmin()
        .contentType("application/json")
        .body(body)
        .when()
        .post(path)
        .then()
        .statusCode(status)
        .extract()
        .jsonPath();
  }

  @Test
  void aJobNamesAStepProfileOrANumber() {
    JsonPath fin =
        post(
            "/api/v1/jobs",
            "{\"prompt\":\"a mug\",\"profile\":\"draft\",\"steps\":\"final\"}",
            202);
    assertThat(fin.getInt("steps")).isEqualTo(40);
    assertThat(fin.getString("stepProfile")).isEqualTo("final");
    assertThat(fin.getInt("width")).as("the size still from the size profile").isEqualTo(512);
    JsonPath dflt = post("/api/v1/jobs", "{\"prompt\":\"a mug\",\"profile\":\"portrait\"}", 202);
    assertThat(dflt.getInt("steps")).isEqualTo(30);
    assertThat(dflt.getString("stepProfile")).isEqualTo("daily");
    assertThat(dflt.getString("model")).isEqualTo(ChaosPipeline.MODEL_ID);
    JsonPath n = post("/api/v1/jobs", "{\"prompt\":\"a mug\",\"steps\":12}", 202);
    assertThat(n.getInt("steps")).isEqualTo(12);
    assertThat(n.getString("stepProfile")).isNull();
    JsonPath bad = post("/api/v1/jobs", "{\"prompt\":\"a mug\",\"steps\":[1]}", 400);
    assertThat(bad.getList("errors.field", String.class))
        .as(bad.prettify())
        .containsExactly("steps");
    assertThat(bad.getString("detail")).contains("step profile");
    assertThat(
            post("/api/v1/jobs", "{\"prompt\":\"a mug\",\"steps\":\"slow\"}", 400)
                .getString("detail"))
        .contains("steps")
        .contains("'slow'");
  }

  @Test
  void profilesShowSizeAndStepProfiles() {
    asAdmin()
        .get("/api/v1/profiles")
        .then()
        .statusCode(200)
        .body("name", hasItems("draft", "portrait", "concept-square", "article-landscape"))
        .body("find { it.name == 'draft' }.stepProfile", org.hamcrest.Matchers.equalTo("explore"))
        .body("find { it.name == 'draft' }.steps", org.hamcrest.Matchers.equalTo(10))
        .body("find { it.name == 'portrait' }.stepProfile", org.hamcrest.Matchers.equalTo("daily"));
    asAdmin()
        .queryParam("include", "steps")
        .get("/api/v1/profiles")
        .then()
        .statusCode(200)
        .body("sizes.name", hasItem("draft"))
        .body("steps.find { it.name == 'final' }.steps", org.hamcrest.Matchers.equalTo(40))
        .body("steps.find { it.name == 'explore' }.steps", org.hamcrest.Matchers.equalTo(10));
    asAdmin()
        .get("/api/v1/profiles/steps")
        .then()
        .statusCode(200)
        .body("name", hasItems("explore", "daily", "final"));
  }

  @Test
  void variantsAddEachPoolOffsetToTheParentsSeedModulo2To32() {
    String team = team();
    long seed = Seeds.MAX_SEED - 5;
    String parent = rendered(team, seed, 2);
    // Image 1 has seed 2^32 - 5 (seeds of a job count up from its first).
    JsonPath v = post("/api/v1/images/" + parent + "/1/variants", "{}", 202);
    List<Long> expected =
        Seeds.DEFAULT_VARIANT_POOL.stream().map(o -> Seeds.offset(seed + 1, o)).toList();
    assertThat(v.getList("seeds", Long.class)).containsExactlyElementsOf(expected);
    assertThat(expected.get(0)).as("wrapped past 2^32 - 1").isEqualTo(37L);
    assertThat(v.getString("parent.jobId")).isEqualTo(parent);
    assertThat(v.getInt("parent.index")).isEqualTo(1);
    assertThat(v.getString("derivation")).isEqualTo("variant");
    assertThat(v.getString("team")).isEqualTo(team);
    assertThat(v.getString("model")).as("the parent's model").isEqualTo(ChaosPipeline.MODEL_ID);
    assertThat(v.getInt("steps")).isEqualTo(10);
    assertThat(v.getString("stepProfile")).isEqualTo("explore");
    assertThat(v.getInt("width")).isEqualTo(256);
    JsonPath done = JobFlowTest.awaitTerminal(v.getString("id"));
    assertThat(done.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(done.getList("images.seedOffset", Long.class))
        .containsExactlyElementsOf(Seeds.DEFAULT_VARIANT_POOL);

    JsonPath other =
        post(
            "/api/v1/images/" + parent + "/0/variants",
            "{\"pool\":[1,2],\"profile\":\"draft\",\"prompt\":\"a blue mug\",\"steps\":\"final\"}",
            202);
    assertThat(other.getList("seeds", Long.class))
        .containsExactly(Seeds.offset(seed, 1), Seeds.offset(seed, 2));
    assertThat(other.getInt("width")).isEqualTo(512);
    assertThat(other.getString("prompt")).isEqualTo("a blue mug");
    assertThat(other.getInt("steps")).isEqualTo(40);

    assertThat(
            post("/api/v1/images/" + parent + "/0/variants", "{\"pool\":[1,1,-2]}", 400)
                .getList("errors.field", String.class))
        .containsExactly("pool[1]", "pool[2]");

    List<String> children =
        asAdmin()
            .get("/api/v1/images/" + parent + "/1/children")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("jobId", String.class);
    assertThat(children).hasSize(5).containsOnly(v.getString("id"));
  }

  @Test
  void refineKeepsSeedPromptAndSizeWithMoreSteps() {
    String team = team();
    String parent = rendered(team, 5150, 1);
    JsonPath r = post("/api/v1/images/" + parent + "/0/refine", "{}", 202);
    assertThat(r.getList("seeds", Long.class)).containsExactly(5150L);
    assertThat(r.getInt("steps")).isEqualTo(40);
    assertThat(r.getString("stepProfile")).isEqualTo("final");
    assertThat(r.getInt("width")).isEqualTo(256);
    assertThat(r.getString("derivation")).isEqualTo("refine");
    assertThat(
            post("/api/v1/images/" + parent + "/0/refine", "{\"steps\":5}", 400)
                .getString("detail"))
        .contains("steps")
        .contains("not more than the parent's 10");
    post("/api/v1/images/" + parent + "/0/refine", "{\"steps\":true}", 400);
    JsonPath g =
        post("/api/v1/images/" + parent + "/0/refine", "{\"steps\":25,\"guidance\":3.5}", 202);
    assertThat(g.getDouble("guidance")).isEqualTo(3.5);
    JsonPath rerun = post("/api/v1/images/" + parent + "/0/rerun", "", 202);
    assertThat(rerun.getInt("steps")).isEqualTo(10);
    assertThat(rerun.getList("seeds", Long.class)).containsExactly(5150L);
    assertThat(rerun.getString("derivation")).isEqualTo("rerun");
  }

  @Test
  void lineageLinksThreeGenerationsBothWays() {
    String team = team();
    String explore = rendered(team, 777, 3);
    String variants =
        post("/api/v1/images/" + explore + "/2/variants", "{\"pool\":[42,123]}", 202)
            .getString("id");
    JobFlowTest.awaitTerminal(variants);
    String refine = post("/api/v1/images/" + variants + "/1/refine", "{}", 202).getString("id");
    JobFlowTest.awaitTerminal(refine);

    JsonPath lineage =
        asAdmin()
            .get("/api/v1/images/" + refine + "/0/lineage")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(lineage.getList("ancestry.jobId", String.class))
        .containsExactly(explore, variants, refine);
    assertThat(lineage.getList("ancestry.index", Integer.class)).containsExactly(2, 1, 0);
    assertThat(lineage.getList("ancestry.derivation", String.class))
        .containsExactly(null, "variant", "refine");
    assertThat(lineage.getList("ancestry.depth", Integer.class)).containsExactly(2, 1, 0);
    assertThat(lineage.getList("ancestry.seed", Long.class))
        .containsExactly(779L, 779L + 123, 779L + 123);
    assertThat(lineage.getList("ancestry.seedOffset", Long.class)).containsExactly(null, 123L, 0L);
    assertThat(lineage.getList("children")).isEmpty();

    JsonPath all =
        asAdmin()
            .queryParam("all", true)
            .get("/api/v1/images/" + explore + "/2/children")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(all.getList("jobId", String.class)).containsExactly(variants, variants, refine);
    assertThat(all.getList("depth", Integer.class)).containsExactly(1, 1, 2);
  }

  @Test
  void aParentMustExistAndBeRendered() {
    asAdmin()
        .contentType("application/json")
        .body("{}")
        .post("/api/v1/images/" + UUID.randomUUID() + "/0/variants")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    String two = rendered(team(), 1, 2);
    post("/api/v1/images/" + two + "/2/refine", "{}", 404);
    asAdmin().get("/api/v1/images/" + two + "/5/lineage").then().statusCode(404);
    String poison =
        JobFlowTest.submit(
            "{\"prompt\":\"a mug "
                + ChaosPipeline.POISON
                + "\",\"width\":256,\"height\":256,\"steps\":1}");
    assertThat(JobFlowTest.awaitTerminal(poison).getString("state")).isEqualTo("FAILED");
    assertThat(post("/api/v1/images/" + poison + "/0/variants", "{}", 409).getString("detail"))
        .contains("not rendered");
  }

  @Test
  void aTeamsSeedPoolDefaultsCanBeSetAndGrows() {
    String team = team();
    String path = "/api/v1/teams/" + team + "/seed-pool";
    JsonPath dflt = asAdmin().get(path).then().statusCode(200).extract().jsonPath();
    assertThat(dflt.getList("offsets", Long.class)).containsExactly(42L, 123L, 888L, 2024L, 9999L);
    assertThat(dflt.getBoolean("isDefault")).isTrue();

    assertThat(
            asAdmin()
                .contentType("application/json")
                .body("{\"offsets\":[1,1,-5,4294967296]}")
                .put(path)
                .then()
                .statusCode(400)
                .extract()
                .jsonPath()
                .getList("errors.field", String.class))
        .containsExactly("offsets[1]", "offsets[2]", "offsets[3]");
    asAdmin()
        .contentType("application/json")
        .body("{\"offsets\":[1,2,3,4,5,6,7,8,9]}")
        .put(path)
        .then()
        .statusCode(400);
    asAdmin().contentType("application/json").body("{}").put(path).then().statusCode(400);

    JsonPath set =
        asAdmin()
            .contentType("application/json")
            .body("{\"offsets\":[7,11]}")
            .put(path)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(set.getList("offsets", Long.class)).containsExactly(7L, 11L);
    assertThat(set.getBoolean("isDefault")).isFalse();
    assertThat(set.getString("updatedBy")).isNotBlank();

    String parent = rendered(team, 100, 1);
    assertThat(
            post("/api/v1/images/" + parent + "/0/variants", "{}", 202)
                .getList("seeds", Long.class))
        .as("the team's pool when none is given")
        .containsExactly(107L, 111L);

    assertThat(post(path + "/promote", "{\"offset\":13}", 200).getList("offsets", Long.class))
        .containsExactly(7L, 11L, 13L);
    assertThat(post(path + "/promote", "{\"offset\":13}", 200).getList("offsets", Long.class))
        .as("promoting an offset already in the pool changes nothing")
        .containsExactly(7L, 11L, 13L);
    post(path + "/promote", "{\"offset\":-1}", 400);
    asAdmin()
        .contentType("application/json")
        .body("{\"offsets\":[1,2,3,4,5,6,7,8]}")
        .put(path)
        .then()
        .statusCode(200);
    assertThat(post(path + "/promote", "{\"offset\":99}", 409).getString("detail"))
        .contains("full");
    asAdmin().get("/api/v1/teams/not a team/seed-pool").then().statusCode(404);
  }

  @Test
  void aModelNoKnownWorkerServesIsA422NamingTheKnownOnes() {
    JsonPath p = post("/api/v1/jobs", "{\"prompt\":\"a mug\",\"model\":\"nope@9\"}", 422);
    assertThat(p.getString("type")).endsWith("/unknown-model");
    assertThat(p.getString("detail")).contains("nope@9").contains(ChaosPipeline.MODEL_ID);
    assertThat(p.getList("knownModels", String.class)).contains(ChaosPipeline.MODEL_ID);
    assertThat(p.getList("errors.field", String.class)).containsExactly("model");
    asAdmin()
        .contentType("text/csv")
        .queryParam("model", "nope@9")
        .body("sku,prompt\na,a mug\n")
        .post("/api/v1/batches")
        .then()
        .statusCode(422)
        .body("detail", containsString("nope@9"));
    asAdmin()
        .get("/api/v1/models")
        .then()
        .statusCode(200)
        .body(
            "find { it.model == '" + ChaosPipeline.MODEL_ID + "' }.isDefault",
            org.hamcrest.Matchers.equalTo(true));
    String named =
        JobFlowTest.submit(
            "{\"prompt\":\"a mug\",\"width\":256,\"height\":256,\"steps\":1,\"model\":\""
                + ChaosPipeline.MODEL_ID
                + "\"}");
    JsonPath done = JobFlowTest.awaitTerminal(named);
    assertThat(done.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(done.getString("images[0].modelId")).isEqualTo(ChaosPipeline.MODEL_ID);
  }

  @Test
  void aCatalogueRunsOnOneModelAndTakesStepProfiles() {
    String team = team();
    JsonPath a =
        asAdmin()
            .contentType("text/csv")
            .queryParam("team", team)
            .queryParam("steps", "explore")
            .queryParam("profile", "concept-square")
            .body("sku,prompt,steps\na,a mug,final\nb,a lamp,\nc,a bottle,12\n")
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .extract()
            .jsonPath();
    String batch = a.getString("id");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () ->
                asAdmin()
                    .get("/api/v1/batches/" + batch)
                    .then()
                    .extract()
                    .jsonPath()
                    .getBoolean("done"));
    String manifest =
        asAdmin()
            .queryParam("format", "jsonl")
            .get("/api/v1/batches/" + batch + "/manifest")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<String> jobs = manifest.lines().map(l -> new JsonPath(l).getString("job_id")).toList();
    List<JsonPath> views =
        jobs.stream()
            .map(id -> asAdmin().get("/api/v1/jobs/" + id).then().extract().jsonPath())
            .toList();
    assertThat(views).extracting(j -> j.getInt("steps")).containsExactly(40, 10, 12);
    assertThat(views)
        .extracting(j -> j.getString("stepProfile"))
        .containsExactly("final", "explore", null);
    assertThat(views).extracting(j -> j.getString("model")).containsOnly(ChaosPipeline.MODEL_ID);
  }
}
