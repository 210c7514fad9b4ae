package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The analysts' history on hand-built image rows of one team, spread over closed days and today:
 * summaries equal known answers and SQL over the same rows, before and after the days are rolled up
 * and after a rolled day changes; keyset pages; exports; prompt search in English and Chinese (two
 * characters too, through an index); the seed and offset ranking.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class AnalyticsTest {
  private static final String MODEL = "hand-built@1";
  private static String team;
  private static LocalDate today;
  private static final Map<String, UUID> JOBS = new HashMap<>();

  /** One hand-built image: its job holds it alone, at index 0. */
  record Img(
      String name,
      int daysAgo,
      String profile,
      String stepProfile,
      int steps,
      Double quality,
      long renderMs,
      long waitMs,
      String verdict,
      String prompt,
      long seed,
      String parent,
      Long offset) {}

  static final List<Img> IMAGES =
      List.of(
          new Img(
              "A1",
              2,
              "draft",
              "explore",
              10,
              0.25,
              100,
              10,
              "approved",
              "a red mug on a white background",
              1000,
              null,
              null),
          new Img(
              "A2",
              2,
              "draft",
              "explore",
              10,
              0.5,
              200,
              20,
              "rejected",
              "一个红色马克杯，白色背景",
              1001,
              null,
              null),
          new Img(
              "A3",
              1,
              "draft",
              "explore",
              10,
              0.75,
              300,
              30,
              "approved",
              "RED 马克杯 on a wooden table",
              1002,
              null,
              null),
          new Img(
              "A4", 0, "draft", "explore", 10, 1.0, 400, 40, null, "a blue lamp", 1003, null, null),
          new Img(
              "B1",
              3,
              "portrait",
              "daily",
              30,
              0.5,
              1000,
              100,
              "approved",
              "a green bottle outdoor",
              2000,
              null,
              null),
          new Img(
              "B2", 0, "portrait", "daily", 30, null, 3000, 300, null, "绿色水瓶，户外", 2001, null, null),
          new Img(
              "C1",
              1,
              "concept-square",
              "daily",
              30,
              0.875,
              500,
              50,
              "approved",
              "a red mug on a white background",
              1042,
              "A1",
              42L),
          new Img(
              "C2",
              1,
              "concept-square",
              "daily",
              30,
              0.375,
              700,
              70,
              "rejected",
              "a red mug on a white background",
              1123,
              "A1",
              123L));

  @BeforeAll
  static void handBuiltRows() throws SQLException {
    team = "analytics-" + UUID.randomUUID().toString().substring(0, 8);
    today = LocalDate.now(ZoneOffset.UTC);
    try (Connection c = db()) {
      for (Img i : IMAGES) {
        insert(c, i);
      }
    }
  }

  static Connection db() throws SQLException {
    return FarmServicesResource.superuser();
  }

  /** An image rendered {@code daysAgo} UTC days ago, at 01:00, with its job and review. */
  static void insert(Connection c, Img i) throws SQLException {
    UUID job = UUID.randomUUID();
    JOBS.put(i.name(), job);
    Instant at =
        today
            .minusDays(i.daysAgo())
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant()
            .plusSeconds(3600 + JOBS.size());
    UUID parent = i.parent() == null ? null : JOBS.get(i.parent());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO job (id, team, state, prompt, profile, width, height, steps, guidance, seeds,"
                + " image_count, created_at, completed_at, model, step_profile, parent_job_id, parent_idx,"
                + " derivation) VALUES (?, ?, 'SUCCEEDED', ?, ?, 512, 512, ?, 6.0, ARRAY[?]::bigint[], 1, ?, ?,"
                + " ?, ?, ?, ?, ?)")) {
      ps.setObject(1, job);
      ps.setString(2, team);
      ps.setString(3, i.prompt());
      ps.setString(4, i.profile());
      ps.setInt(5, i.steps());
      ps.setLong(6, i.seed());
      ps.setTimestamp(7, Timestamp.from(at));
      ps.setTimestamp(8, Timestamp.from(at));
      ps.setString(9, MODEL);
      ps.setString(10, i.stepProfile());
      ps.setObject(11, parent);
      ps.setObject(12, parent == null ? null : 0, java.sql.Types.INTEGER);
      ps.setString(13, parent == null ? null : "variant");
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO image (job_id, idx, storage_key, seed, width, height, steps, guidance, model_id,"
                + " worker_id, batch_size, queue_wait_ms, render_ms, quality, attempt, created_at, team,"
                + " profile, step_profile, prompt, parent_job_id, parent_idx, derivation, seed_offset)"
                + " VALUES (?, 0, 'ha/hand-built/0.png', ?, 512, 512, ?, 6.0, ?, 'hand', 1, ?, ?, ?, 1, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?)")) {
      ps.setObject(1, job);
      ps.setLong(2, i.seed());
      ps.setInt(3, i.steps());
      ps.setString(4, MODEL);
      ps.setLong(5, i.waitMs());
      ps.setLong(6, i.renderMs());
      ps.setObject(7, i.quality(), java.sql.Types.DOUBLE);
      ps.setTimestamp(8, Timestamp.from(at));
      ps.setString(9, team);
      ps.setString(10, i.profile());
      ps.setString(11, i.stepProfile());
      ps.setString(12, i.prompt());
      ps.setObject(13, parent);
      ps.setObject(14, parent == null ? null : 0, java.sql.Types.INTEGER);
      ps.setString(15, parent == null ? null : "variant");
      ps.setObject(16, i.offset(), java.sql.Types.BIGINT);
      ps.executeUpdate();
    }
    if (i.verdict() != null) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO image_review (job_id, idx, verdict, reviewer) VALUES (?, 0, ?, 'hand')")) {
        ps.setObject(1, job);
        ps.setString(2, i.verdict());
        ps.executeUpdate();
      }
    }
  }

  static JsonPath summary(String groupBy, String... params) {
    var spec =
        asAdmin().queryParam("team", team).queryParam("since", "7d").queryParam("groupBy", groupBy);
    for (int k = 0; k < params.length; k += 2) {
      spec = spec.queryParam(params[k], params[k + 1]);
    }
    String body = spec.get("/api/v1/analytics/summary").then().statusCode(200).extract().asString();
    // Doubles as doubles: JsonPath reads numbers as floats by default.
    return new JsonPath(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
  }

  static Map<String, Object> group(JsonPath s, String profile) {
    List<Map<String, Object>> groups = s.getList("groups");
    return groups.stream()
        .filter(g -> profile.equals(((Map<?, ?>) g.get("key")).get("profile")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no group " + profile + " in " + groups));
  }

  static double num(Map<String, Object> g, String field) {
    return ((Number) g.get(field)).doubleValue();
  }

  /** The known answers of the hand-built rows, by profile (steps follow the profile). */
  static void assertKnownAnswers(JsonPath s) {
    Map<String, Object> a = group(s, "draft");
    assertThat(num(a, "images")).isEqualTo(4);
    assertThat(num(a, "meanQuality")).isCloseTo(0.625, within(1e-12));
    assertThat(num(a, "p50Quality")).isEqualTo(0.625);
    assertThat(num(a, "approved")).isEqualTo(2);
    assertThat(num(a, "rejected")).isEqualTo(1);
    assertThat(num(a, "approvalRate")).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(num(a, "p50RenderMs")).isEqualTo(250);
    assertThat(num(a, "p95RenderMs")).isCloseTo(385, within(1e-9));
    assertThat(num(a, "meanQueueWaitMs")).isEqualTo(25);
    Map<String, Object> b = group(s, "portrait");
    assertThat(num(b, "images")).isEqualTo(2);
    assertThat(num(b, "meanQuality")).as("a missing quality is not a zero").isEqualTo(0.5);
    assertThat(num(b, "p50Quality")).isEqualTo(0.5);
    assertThat(num(b, "approvalRate")).isEqualTo(1.0);
    assertThat(num(b, "p50RenderMs")).isEqualTo(2000);
    assertThat(num(b, "p95RenderMs")).isCloseTo(2900, within(1e-9));
    assertThat(num(b, "meanQueueWaitMs")).isEqualTo(200);
    Map<String, Object> c = group(s, "concept-square");
    assertThat(num(c, "meanQuality")).isEqualTo(0.625);
    assertThat(num(c, "approvalRate")).isEqualTo(0.5);
    assertThat(s.getList("groups")).hasSize(3);
  }

  /** The summary by profile and steps over the last 7 days, straight in SQL over the same rows. */
  static Map<String, double[]> sqlSummary() throws SQLException {
    Map<String, double[]> out = new HashMap<>();
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT profile, steps, count(*), avg(quality),"
                    + " percentile_cont(0.5) WITHIN GROUP (ORDER BY quality),"
                    + " count(*) FILTER (WHERE verdict = 'approved'),"
                    + " count(*) FILTER (WHERE verdict = 'rejected'),"
                    + " percentile_cont(0.5) WITHIN GROUP (ORDER BY render_ms),"
                    + " percentile_cont(0.95) WITHIN GROUP (ORDER BY render_ms), avg(queue_wait_ms)"
                    + " FROM image WHERE team = ? AND created_at >= ? GROUP BY 1, 2")) {
      ps.setString(1, team);
      ps.setTimestamp(
          2, Timestamp.from(today.minusDays(6).atStartOfDay(ZoneOffset.UTC).toInstant()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double[] v = new double[8];
          for (int k = 0; k < 8; k++) {
            v[k] = rs.getDouble(3 + k);
          }
          out.put(rs.getString(1), v);
        }
      }
    }
    return out;
  }

  static void assertEqualsSql(JsonPath s) throws SQLException {
    Map<String, double[]> sql = sqlSummary();
    assertThat(s.getList("groups")).hasSize(sql.size());
    for (Map.Entry<String, double[]> e : sql.entrySet()) {
      Map<String, Object> g = group(s, e.getKey());
      double[] v = e.getValue();
      assertThat(num(g, "images")).isEqualTo(v[0]);
      assertThat(num(g, "meanQuality")).isCloseTo(v[1], within(1e-12));
      assertThat(num(g, "p50Quality")).isEqualTo(v[2]);
      assertThat(num(g, "approved")).isEqualTo(v[3]);
      assertThat(num(g, "rejected")).isEqualTo(v[4]);
      assertThat(num(g, "p50RenderMs")).isEqualTo(v[5]);
      assertThat(num(g, "p95RenderMs")).isEqualTo(v[6]);
      assertThat(num(g, "meanQueueWaitMs")).isCloseTo(v[7], within(1e-9));
    }
  }

  @Test
  void summariesEqualKnownAnswersAndSqlBeforeAndAfterRollupsAndAfterAChange() throws Exception {
    JsonPath fromRows = summary("profile,steps");
    assertKnownAnswers(fromRows);
    assertEqualsSql(fromRows);

    List<String> rolled =
        asAdmin()
            .post("/api/v1/admin/analytics/rollup")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("days", String.class);
    JsonPath fromRollups = summary("profile,steps");
    int rolledDays = fromRollups.getInt("rolledDays");
    // Every closed day since the oldest image (3 days ago, or older rows of earlier runs).
    assertThat(rolledDays)
        .as("closed days from rollups (rolled now: %s)", rolled)
        .isGreaterThanOrEqualTo(3);
    assertThat(rolledDays + fromRollups.getInt("rowDays")).isEqualTo(7);
    assertKnownAnswers(fromRollups);
    assertEqualsSql(fromRollups);

    // A review on a rolled-up day (B1, three days ago) counts at once: that day is read from rows.
    ReviewTest.review(JOBS.get("B1").toString(), 0, "{\"verdict\":\"rejected\"}", 200);
    JsonPath afterReview = summary("profile,steps");
    assertThat(num(group(afterReview, "portrait"), "approved")).isZero();
    assertThat(num(group(afterReview, "portrait"), "rejected")).isEqualTo(1);
    assertThat(afterReview.getInt("rolledDays"))
        .as("the changed day is read from rows")
        .isEqualTo(rolledDays - 1);
    assertEqualsSql(afterReview);

    // A late row on a rolled-up day, as a history import would add.
    try (Connection c = db()) {
      insert(
          c,
          new Img(
              "A5", 2, "draft", "explore", 10, 0.0, 50, 0, null, "a red mug", 1004, null, null));
    }
    JsonPath afterInsert = summary("profile,steps");
    assertThat(num(group(afterInsert, "draft"), "images")).isEqualTo(5);
    assertThat(num(group(afterInsert, "draft"), "p50Quality")).isEqualTo(0.5);
    assertEqualsSql(afterInsert);
    asAdmin().post("/api/v1/admin/analytics/rollup").then().statusCode(200);
    assertEqualsSql(summary("profile,steps"));
    assertThat(summary("profile,steps").getInt("rolledDays")).isEqualTo(rolledDays);

    JsonPath byDay = summary("day", "profile", "draft");
    List<Map<String, Object>> days = byDay.getList("groups");
    List<String> dayKeys =
        days.stream().map(g -> String.valueOf(((Map<?, ?>) g.get("key")).get("day"))).toList();
    assertThat(dayKeys)
        .containsExactly(
            today.minusDays(2).toString(), today.minusDays(1).toString(), today.toString());
    assertThat(days).extracting(g -> num(g, "images")).containsExactly(3.0, 1.0, 1.0);

    JsonPath byVerdict = summary("verdict");
    assertThat(byVerdict.getInt("rolledDays")).as("verdicts are not kept by rollups").isZero();
    Map<Object, Object> counts = new HashMap<>();
    for (Map<String, Object> g : byVerdict.<Map<String, Object>>getList("groups")) {
      counts.put(((Map<?, ?>) g.get("key")).get("verdict"), ((Number) g.get("images")).intValue());
    }
    assertThat(counts)
        .containsEntry("approved", 3)
        .containsEntry("rejected", 3)
        .containsEntry("unreviewed", 3);
    asAdmin()
        .queryParam("groupBy", "colour")
        .get("/api/v1/analytics/summary")
        .then()
        .statusCode(400);
    asAdmin()
        .queryParam("from", "2026-13-01")
        .get("/api/v1/analytics/summary")
        .then()
        .statusCode(400);
  }

  static List<String> prompts(String search) {
    return asAdmin()
        .queryParam("team", team)
        .queryParam("prompt", search)
        .get("/api/v1/analytics/images")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("images.prompt", String.class);
  }

  @Test
  void promptSearchFindsEnglishChineseAndMixedText() {
    assertThat(prompts("红色")).containsExactly("一个红色马克杯，白色背景");
    assertThat(prompts("马克杯"))
        .containsExactlyInAnyOrder("一个红色马克杯，白色背景", "RED 马克杯 on a wooden table");
    assertThat(prompts("户外")).containsExactly("绿色水瓶，户外");
    assertThat(prompts("red 马克杯")).containsExactly("RED 马克杯 on a wooden table");
    assertThat(prompts("Red Mug"))
        .allMatch(p -> p.toLowerCase().contains("red mug"))
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(prompts("100%")).isEmpty();
  }

  @Test
  void shortAndLongSearchesUseTheirIndexes() throws SQLException {
    try (Connection c = db();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      // Tiny tables make a sequential scan cheapest; forbid it to see which index can serve.
      s.execute("SET LOCAL enable_seqscan = off");
      assertThat(plan(s, "i.prompt ILIKE '%红色%' AND cjk_grams(i.prompt) @> cjk_grams('红色')"))
          .contains("image_prompt_cjk_idx");
      assertThat(plan(s, "i.prompt ILIKE '%white background%'")).contains("image_prompt_trgm_idx");
      c.rollback();
    }
  }

  static String plan(Statement s, String where) throws SQLException {
    StringBuilder sb = new StringBuilder();
    try (ResultSet rs = s.executeQuery("EXPLAIN SELECT i.job_id FROM image i WHERE " + where)) {
      while (rs.next()) {
        sb.append(rs.getString(1)).append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void historyPagesByKeysetAndExportsTheWholeResult() {
    Set<String> seen = new LinkedHashSet<>();
    List<String> times = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      var spec =
          asAdmin().queryParam("team", team).queryParam("limit", 3).queryParam("since", "30d");
      if (after != null) {
        spec = spec.queryParam("after", after);
      }
      JsonPath page =
          spec.get("/api/v1/analytics/images").then().statusCode(200).extract().jsonPath();
      for (Map<String, Object> img : page.<Map<String, Object>>getList("images")) {
        assertThat(seen.add(img.get("jobId") + "/" + img.get("index")))
            .as("no image twice")
            .isTrue();
        times.add((String) img.get("renderedAt"));
      }
      after = page.getString("next");
      pages++;
    } while (after != null && pages < 10);
    assertThat(seen).hasSizeGreaterThanOrEqualTo(IMAGES.size());
    assertThat(times).isSortedAccordingTo((x, y) -> Instant.parse(y).compareTo(Instant.parse(x)));

    JsonPath approvedGood =
        asAdmin()
            .queryParam("team", team)
            .queryParam("verdict", "approved")
            .queryParam("qualityMin", "0.7")
            .get("/api/v1/analytics/images")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(approvedGood.getList("images.seed", Long.class))
        .containsExactlyInAnyOrder(1002L, 1042L);

    String csv =
        asAdmin()
            .queryParam("team", team)
            .queryParam("format", "csv")
            .queryParam("profile", "draft")
            .get("/api/v1/analytics/images")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0)).startsWith("job_id,image_index,team,batch_id,prompt");
    assertThat(lines.subList(1, lines.size()))
        .allMatch(l -> l.contains(",draft,explore,"))
        .hasSizeGreaterThanOrEqualTo(4);
    assertThat(csv).as("a full-width comma needs no quotes").contains(",一个红色马克杯，白色背景,");
    String jsonl =
        asAdmin()
            .queryParam("team", team)
            .queryParam("format", "jsonl")
            .queryParam("derivation", "variant")
            .get("/api/v1/analytics/images")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(jsonl.lines().map(l -> new JsonPath(l).getLong("seed_offset")).toList())
        .containsExactlyInAnyOrder(42L, 123L);

    assertThat(
            asAdmin()
                .queryParam("qualityMin", "2")
                .queryParam("verdict", "so-so")
                .queryParam("after", "garbage")
                .get("/api/v1/analytics/images")
                .then()
                .statusCode(400)
                .extract()
                .jsonPath()
                .getList("errors.field", String.class))
        .containsExactlyInAnyOrder("qualityMin", "verdict", "after");
  }

  @Test
  void seedsAndPoolOffsetsAreRankedByApprovalThenQuality() {
    JsonPath r =
        asAdmin()
            .queryParam("team", team)
            .queryParam("prompt", "red mug")
            .queryParam("since", "7d")
            .get("/api/v1/analytics/seeds")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(r.getList("offsets.value", Long.class)).containsExactly(42L, 123L);
    assertThat(r.getList("offsets.approvalRate", Double.class)).containsExactly(1.0, 0.0);
    List<Long> seeds = r.getList("seeds.value", Long.class);
    assertThat(seeds.get(0)).as("approved and best quality first").isEqualTo(1042L);
    assertThat(seeds).contains(1000L, 1123L);
    assertThat(seeds.indexOf(1123L)).isGreaterThan(seeds.indexOf(1000L));
  }
}
