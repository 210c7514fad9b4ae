package dev.turbofarm.launcher;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The console's pages on a large history (issue 13: under 300 ms server time with 100k images), run
 * by {@code farm bench analytics} on its generated rows: signs in with the farm's admin key like a
 * browser (form, CSRF double-submit cookie, session cookie), groups the newest jobs of one team
 * into a catalogue batch so that a gallery has something to page through, then times each page.
 * Times are wall clock at the client on the same machine, so they bound the server time from above.
 */
final class ConsolePagesBench {
  /** Jobs grouped into the bench's batch (each has 1 to 5 images). */
  static final int BATCH_JOBS = 2000;

  private static final int WARM_UPS = 3;

  private ConsolePagesBench() {}

  /** Times the pages; returns the markdown table (and prints its rows). */
  static String run(Farm farm, int runs) throws Exception {
    Map<String, String> pages = pages(farm);
    HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    URI base = farm.coordinatorUrl();
    signIn(http, base, farm.adminKey());
    StringBuilder md =
        new StringBuilder(
            "\nConsole pages (signed in with the admin key, HTML rendered by the coordinator; the"
                + " bound is issue 13's 300 ms):\n\n"
                + "| page | runs | min ms | median ms | p95 ms | < 300 ms p95 |\n"
                + "|---|---|---|---|---|---|\n");
    for (Map.Entry<String, String> p : pages.entrySet()) {
      List<Long> ms = new ArrayList<>();
      for (int run = 0; run < runs + WARM_UPS; run++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(base.resolve(p.getValue()))
                    .timeout(Duration.ofMinutes(1))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        long took = (System.nanoTime() - t0) / 1_000_000;
        if (r.statusCode() != 200) {
          throw new FarmException(
              "console page " + p.getValue() + " answered " + r.statusCode() + ": " + r.body());
        }
        if (run >= WARM_UPS) {
          ms.add(took);
        }
      }
      Collections.sort(ms);
      long p95 = ms.get((int) Math.ceil(0.95 * ms.size()) - 1);
      String line =
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d | %s |%n",
              p.getKey(),
              ms.size(),
              ms.get(0),
              ms.get(ms.size() / 2),
              p95,
              p95 < 300 ? "yes" : "**no**");
      md.append(line);
      System.out.print(line);
    }
    return md.toString();
  }

  /** The pages to time, after making the bench's batch and picking an image with children. */
  private static Map<String, String> pages(Farm farm) throws Exception {
    UUID batch = UUID.randomUUID();
    String parent;
    try (Connection c =
        DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword())) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO batch (id, team, name, source, job_count, image_count, created_at,"
                  + " completed_at) VALUES (?, 'shop-a', 'bench catalogue', 'csv', ?, 0, now(),"
                  + " now())")) {
        ps.setObject(1, batch);
        ps.setInt(2, BATCH_JOBS);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "WITH j AS (UPDATE job SET batch_id = ?, sku = 'sku-' || left(id::text, 8) WHERE id"
                  + " IN (SELECT id FROM job WHERE team = 'shop-a' ORDER BY created_at DESC"
                  + " LIMIT ?) RETURNING id)"
                  + " UPDATE image SET batch_id = ? WHERE job_id IN (SELECT id FROM j)")) {
        ps.setObject(1, batch);
        ps.setInt(2, BATCH_JOBS);
        ps.setObject(3, batch);
        int images = ps.executeUpdate();
        try (PreparedStatement u =
            c.prepareStatement("UPDATE batch SET image_count = ? WHERE id = ?")) {
          u.setInt(1, images);
          u.setObject(2, batch);
          u.executeUpdate();
        }
      }
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT parent_job_id, parent_idx FROM image WHERE derivation = 'variant'"
                      + " AND team = 'shop-a' ORDER BY created_at DESC LIMIT 1");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new FarmException("the generated history has no variants to show lineage");
        }
        parent = rs.getString(1) + "/" + rs.getInt(2);
      }
      c.commit();
      try (var s = c.createStatement()) {
        c.setAutoCommit(true);
        s.execute("ANALYZE job");
        s.execute("ANALYZE image");
      }
    }
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("Jobs: one team's 24 newest jobs, their images", "/console/jobs?team=shop-a");
    pages.put("Jobs: every team's 24 newest jobs", "/console/jobs");
    pages.put("Batches: the list", "/console/batches");
    pages.put(
        "Gallery: a batch of " + String.format(Locale.ROOT, "%,d", BATCH_JOBS) + " jobs",
        "/console/batches/" + batch);
    pages.put(
        "Gallery: the same, approved only", "/console/batches/" + batch + "?verdict=approved");
    pages.put("Image: settings, timings and lineage", "/console/images/" + parent);
    pages.put("Workers", "/console/workers");
    pages.put("History (its charts load from the analytics API, timed above)", "/console/history");
    return pages;
  }

  /** Signs in as a browser would: the form's CSRF cookie and token, then the session cookie. */
  private static void signIn(HttpClient http, URI base, String key) throws Exception {
    HttpResponse<String> form =
        http.send(
            HttpRequest.newBuilder(base.resolve("/console/sign-in")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    String token =
        form.headers().allValues("Set-Cookie").stream()
            .filter(h -> h.startsWith("tf_sign_in="))
            .map(h -> h.substring("tf_sign_in=".length(), h.indexOf(';')))
            .findFirst()
            .orElseThrow(() -> new FarmException("the sign-in form set no CSRF cookie"));
    HttpResponse<String> signedIn =
        http.send(
            HttpRequest.newBuilder(base.resolve("/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "apiKey="
                            + URLEncoder.encode(key, StandardCharsets.UTF_8)
                            + "&_csrf="
                            + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (signedIn.statusCode() != 303) {
      throw new FarmException(
          "console sign-in answered " + signedIn.statusCode() + ": " + signedIn.body());
    }
  }
}
