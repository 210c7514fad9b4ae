package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.turbofarm.common.security.ApiKeySecrets;
import dev.turbofarm.testservices.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code farm keys}: the calls it makes (against a scripted coordinator that checks the key sent),
 * its output and exit codes, the local admin key file, and {@code bootstrap} on a real PostgreSQL
 * with the coordinator's own migration.
 */
class KeysCommandTest {
  private static final String ADMIN = "tf_" + "a".repeat(43);

  @TempDir Path dir;

  private HttpServer server;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile String lastBody;

  private record Run(int code, String out, String err) {}

  private static Run farm(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = new CommandLine(new FarmCli()).execute(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @BeforeEach
  void coordinator() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/admin/keys",
        ex -> {
          calls.add(ex.getRequestMethod() + " " + ex.getRequestURI());
          lastBody = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String answer;
          int status;
          if (!("Bearer " + ADMIN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
            answer = "{\"status\":401,\"detail\":\"a valid credential is required\"}";
          } else if (ex.getRequestMethod().equals("POST")) {
            status = 201;
            answer =
                "{\"key\":{\"id\":\"6f1c0c7e-0000-4000-8000-000000000001\",\"name\":\"Dana\","
                    + "\"role\":\"submitter\",\"team\":\"shop\",\"expiresAt\":null},"
                    + "\"secret\":\"tf_SECRETSECRETSECRETSECRETSECRETSECRETSECRET\"}";
          } else if (ex.getRequestMethod().equals("DELETE")) {
            status = 200;
            answer =
                "{\"id\":\"6f1c0c7e-0000-4000-8000-000000000001\",\"name\":\"Dana\","
                    + "\"revokedAt\":\"2026-11-29T12:00:00Z\"}";
          } else {
            status = 200;
            answer =
                "[{\"id\":\"6f1c0c7e-0000-4000-8000-000000000001\",\"prefix\":\"tf_SECRET\","
                    + "\"state\":\"ACTIVE\",\"role\":\"analyst\",\"team\":\"bi\",\"name\":\"Dana\","
                    + "\"teams\":[\"shop\",\"garden\"],\"expiresAt\":null,\"lastUsedAt\":null}]";
          }
          byte[] b = answer.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void createSendsTheRequestWithTheAdminKeyAndPrintsOnlyTheSecretOnStdout() throws Exception {
    Run r =
        farm(
            "keys",
            "create",
            "--team",
            "bi",
            "--role",
            "analyst",
            "--teams",
            "shop,garden",
            "--name",
            "Dana",
            "--expires",
            "30d",
            "--rate-limit",
            "5",
            "--url",
            url(),
            "--api-key",
            ADMIN);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().strip()).isEqualTo("tf_SECRETSECRETSECRETSECRETSECRETSECRETSECRET");
    assertThat(r.err()).contains("never shown again");
    assertThat(calls).containsExactly("POST /api/v1/admin/keys");
    JsonNode body = FarmClient.parse(lastBody);
    assertThat(body.path("team").asText()).isEqualTo("bi");
    assertThat(body.path("role").asText()).isEqualTo("analyst");
    assertThat(body.path("name").asText()).isEqualTo("Dana");
    assertThat(body.path("rateLimit").asInt()).isEqualTo(5);
    assertThat(body.path("teams").toString()).isEqualTo("[\"shop\",\"garden\"]");
    OffsetDateTime expires = OffsetDateTime.parse(body.path("expiresAt").asText());
    assertThat(Duration.between(OffsetDateTime.now(), expires).toHours()).isBetween(719L, 720L);
  }

  @Test
  void listPrintsATableAndRevokeCallsDelete() {
    Run list = farm("keys", "list", "--url", url(), "--api-key", ADMIN);
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("ID").contains("tf_SECRET").contains("shop,garden");
    Run revoke =
        farm(
            "keys",
            "revoke",
            "6f1c0c7e-0000-4000-8000-000000000001",
            "--url",
            url(),
            "--api-key",
            ADMIN);
    assertThat(revoke.code()).isZero();
    assertThat(revoke.out()).contains("revoked");
    assertThat(calls)
        .containsExactly(
            "GET /api/v1/admin/keys?revoked=false",
            "DELETE /api/v1/admin/keys/6f1c0c7e-0000-4000-8000-000000000001");
    assertThat(farm("keys", "revoke", "not-an-id", "--url", url(), "--api-key", ADMIN).code())
        .isEqualTo(2);
  }

  @Test
  void theKeyComesFromTheDataDirsAdminKeyFileAndAWrongOneIsExplained() throws Exception {
    Path data = dir.resolve("farm-data");
    Files.createDirectories(data);
    Files.writeString(FarmKeys.file(data), ADMIN + "\n");
    assertThat(farm("keys", "list", "--url", url(), "--data-dir", data.toString()).code()).isZero();
    Run wrong = farm("keys", "list", "--url", url(), "--api-key", "tf_" + "w".repeat(43));
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("401").contains("--api-key");
    Run none = farm("keys", "list", "--url", url(), "--data-dir", dir.resolve("empty").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("admin.key").contains("FARM_API_KEY");
  }

  @Test
  void theLocalAdminKeyIsMadeOnceWithMode600() throws Exception {
    Path data = dir.resolve("d");
    String key = FarmKeys.ensure(data);
    assertThat(ApiKeySecrets.wellFormed(key)).isTrue();
    assertThat(Files.getPosixFilePermissions(FarmKeys.file(data)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(FarmKeys.ensure(data)).as("the second start reads the same key").isEqualTo(key);
  }

  @Test
  void expiryTakesALifetimeOrATime() {
    OffsetDateTime now = OffsetDateTime.parse("2026-11-29T12:00:00Z");
    assertThat(KeysCommand.expiry("30d", now)).isEqualTo(now.plusDays(30));
    assertThat(KeysCommand.expiry("12h", now)).isEqualTo(now.plusHours(12));
    assertThat(KeysCommand.expiry("2027-01-31T00:00:00Z", now))
        .isEqualTo(OffsetDateTime.parse("2027-01-31T00:00:00Z"));
    assertThat(KeysCommand.expiry(null, now)).isNull();
    assertThat(
            farm(
                    "keys",
                    "create",
                    "--team",
                    "t",
                    "--role",
                    "submitter",
                    "--expires",
                    "soon",
                    "--url",
                    url(),
                    "--api-key",
                    ADMIN)
                .code())
        .isEqualTo(2);
  }

  @Test
  void generatePrintsAFreshKey() {
    Run a = farm("keys", "generate");
    Run b = farm("keys", "generate");
    assertThat(ApiKeySecrets.wellFormed(a.out().strip())).isTrue();
    assertThat(a.out()).isNotEqualTo(b.out());
  }

  @Test
  void bootstrapStoresOnlyTheHashOfAnAdminKeyInARealDatabase() throws Exception {
    TestServices pg = TestServices.shared();
    String url = pg.jdbcUrl("turbofarm_keys_bootstrap_test");
    try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS api_key, audit_event");
      // The coordinator's own migration creates the tables bootstrap writes to.
      s.execute(
          Files.readString(
              Path.of("../db/src/main/resources/db/migration/V20__api_keys_and_audit.sql")));
    }
    Run r =
        farm(
            "keys",
            "bootstrap",
            "--jdbc-url",
            url,
            "--db-user",
            pg.username(),
            "--db-password",
            pg.password(),
            "--name",
            "first admin");
    assertThat(r.code()).as(r.err()).isZero();
    String key = r.out().strip();
    assertThat(ApiKeySecrets.wellFormed(key)).isTrue();
    try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
        PreparedStatement ps =
            c.prepareStatement("SELECT secret_hash, role, name, prefix FROM api_key");
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(ApiKeySecrets.hash(key)).doesNotContain(key);
      assertThat(rs.getString(2)).isEqualTo("admin");
      assertThat(rs.getString(3)).isEqualTo("first admin");
      assertThat(key).startsWith(rs.getString(4));
      assertThat(rs.next()).isFalse();
    }
    Run noTable =
        farm(
            "keys",
            "bootstrap",
            "--jdbc-url",
            pg.jdbcUrl("turbofarm_keys_no_schema_test"),
            "--db-user",
            pg.username(),
            "--db-password",
            pg.password());
    assertThat(noTable.code()).isEqualTo(1);
    assertThat(noTable.err()).contains("start the coordinator once");
  }
}
