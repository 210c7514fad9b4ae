package dev.turbofarm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Clients that open a manifest or an events stream and then read nothing hold no database
 * connection: with more of them than the pool has connections (24), every other request is still
 * answered at once. The manifest is read page by page, each page's query returning its connection
 * before the page is written; the events stream takes a connection for one short query a second.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class SlowReadersTest {
  /** More stalled readers than the pool's 24 connections. */
  private static final int READERS = 32;

  /** The batch's team. */
  private static final String TEAM = "slow-readers";

  /** Jobs of the test batch: 8 images each, about 17 MB of manifest, far past socket buffers. */
  private static final int JOBS = 20_000;

  @TestHTTPResource("/")
  URL base;

  @Test
  void slowManifestAndEventReadersDoNotStarveOtherRequests() throws Exception {
    UUID batch = insertCancelledBatch();
    // Four keys of the batch's team: each may hold 8 streams (turbofarm.security.streams.per-key).
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < READERS / 8; k++) {
      keys.add(
          TestKeys.create("submitter", TEAM, List.of(), "slow reader " + k, null, null).secret());
    }
    List<Socket> readers = new ArrayList<>();
    try {
      for (int i = 0; i < READERS; i++) {
        String path =
            i % 4 == 3
                ? "/api/v1/batches/" + batch + "/events"
                : "/api/v1/batches/" + batch + "/manifest" + (i % 2 == 0 ? "" : "?format=jsonl");
        readers.add(stalledReader(path, keys.get(i % keys.size())));
      }
      // Each stalled reader got its answer started (the manifest's first page was read)...
      for (Socket s : readers) {
        InputStream in = s.getInputStream();
        byte[] head = new byte[12];
        int n = in.readNBytes(head, 0, head.length);
        assertThat(new String(head, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
      }
      // ...and reads nothing more. Once the server's socket buffers are full, no stalled reader
      // holds a database connection: no manifest query runs, and no transaction stays open (a
      // server-side cursor would keep one "idle in transaction" for as long as its reader stalls).
      await("the stalled readers hold no database connection")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(connectionsHeldByManifests()).isZero());
      // Every other request is answered, each within the pool's acquisition timeout (5 s), which
      // requests would run into if the readers held the pool's 24 connections.
      for (int i = 0; i < 20; i++) {
        long t0 = System.nanoTime();
        TestKeys.as(keys.get(0)).when().get("/api/v1/batches/" + batch).then().statusCode(200);
        TestKeys.as(keys.get(1))
            .contentType("application/json")
            .body("{\"prompt\":\"a red mug beside slow readers\"}")
            .when()
            .post("/api/v1/jobs")
            .then()
            .statusCode(202);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("two requests while %d readers stall", READERS).isLessThan(5_000);
      }
    } finally {
      for (Socket s : readers) {
        s.close();
      }
    }
  }

  /**
   * Server connections of the coordinator's pool busy with a manifest, or left inside a transaction
   * by one.
   */
  private static int connectionsHeldByManifests() throws Exception {
    try (Connection c = FarmServicesResource.superuser();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid() AND (state LIKE 'idle in transaction%'"
                    + " OR (state = 'active' AND query LIKE '%WITH ORDINALITY%'))");
        java.sql.ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Sends a GET and reads only what the caller reads; a tiny receive buffer fills at once. */
  private Socket stalledReader(String path, String key) throws Exception {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
    OutputStream out = s.getOutputStream();
    out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: "
                + base.getHost()
                + "\r\nAuthorization: "
                + TestKeys.bearer(key)
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  /** A finished batch of cancelled jobs: nothing is dispatched, the manifest lists them all. */
  private static UUID insertCancelledBatch() throws Exception {
    UUID id = UUID.randomUUID();
    try (Connection c = FarmServicesResource.superuser()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO batch (id, team, source, job_count, image_count, cancelled_at,"
                  + " completed_at) VALUES (?, 'slow-readers', 'CSV', ?, ?, now(), now())")) {
        ps.setObject(1, id);
        ps.setInt(2, JOBS);
        ps.setInt(3, JOBS * 8);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO job (id, team, state, reason, prompt, profile, width, height, steps,"
                  + " guidance, seeds, image_count, batch_id, sku, created_at, completed_at)"
                  + " SELECT gen_random_uuid(), 'slow-readers', 'CANCELLED', 'batch cancelled',"
                  + " 'a mug on a shelf, studio photo', 'draft', 512, 512, 10, 6.0,"
                  + " ARRAY[1,2,3,4,5,6,7,8]::bigint[], 8, ?, 'sku-' || n,"
                  + " now() + n * interval '1 microsecond', now()"
                  + " FROM generate_series(1, ?) n")) {
        ps.setObject(1, id);
        ps.setInt(2, JOBS);
        ps.executeUpdate();
      }
    }
    return id;
  }
}
