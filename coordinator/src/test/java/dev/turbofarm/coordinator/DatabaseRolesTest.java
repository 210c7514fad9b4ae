package dev.turbofarm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.embedded.DatabaseRoles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The three database roles as the tests' coordinator runs them: migrations ran as the owner, the
 * pool logs in as the runtime role, which may change rows but no table, and the analyst role reads
 * the history views and nothing else.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class DatabaseRolesTest {

  private static Connection as(String role, String password) throws SQLException {
    return DriverManager.getConnection(FarmServicesResource.databaseWithRoles(), role, password);
  }

  private static Connection superuser() throws SQLException {
    return FarmServicesResource.superuser();
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getString(1);
    }
  }

  /** SQLState 42501: insufficient privilege (or, for DROP, must be owner). */
  private static void refused(Connection c, String sql) {
    assertThatThrownBy(
            () -> {
              try (Statement s = c.createStatement()) {
                s.execute(sql);
              }
            })
        .as(sql)
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
  }

  @Test
  void migrationsRanAsTheOwnerAndThePoolRunsAsTheRuntimeRole() throws Exception {
    try (Connection c = superuser()) {
      assertThat(one(c, "SELECT tableowner FROM pg_tables WHERE tablename = 'job'"))
          .isEqualTo(DatabaseRoles.OWNER);
      assertThat(
              one(
                  c,
                  "SELECT DISTINCT installed_by FROM flyway_schema_history"
                      + " WHERE version = '25'"))
          .isEqualTo(DatabaseRoles.OWNER);
      // The coordinator's own connections (the dispatcher's LISTEN one is always open).
      assertThat(
              one(
                  c,
                  "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity"
                      + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                      + " AND usename <> '"
                      + FarmServicesResource.postgres().username()
                      + "'"))
          .isEqualTo(DatabaseRoles.APP);
    }
  }

  @Test
  void theRuntimeRoleChangesRowsButNoTable() throws Exception {
    try (Connection c = as(DatabaseRoles.APP, FarmServicesResource.PASSWORDS.app())) {
      assertThat(one(c, "SELECT count(*) >= 0 FROM job")).isEqualTo("t");
      refused(c, "DROP TABLE job");
      refused(c, "ALTER TABLE job ADD COLUMN x int");
      refused(c, "TRUNCATE job");
      refused(c, "CREATE TABLE intruder (x int)");
      refused(c, "DELETE FROM flyway_schema_history");
    }
  }

  @Test
  void theAnalystReadsTheHistoryViewsOnly() throws Exception {
    try (Connection c = as(DatabaseRoles.ANALYST, FarmServicesResource.PASSWORDS.analyst())) {
      assertThat(one(c, "SELECT count(*) >= 0 FROM image_history")).isEqualTo("t");
      refused(c, "SELECT * FROM job LIMIT 1");
      refused(c, "SELECT * FROM image LIMIT 1");
      refused(c, "SELECT * FROM api_key LIMIT 1");
      refused(c, "SELECT * FROM team_webhook_secret LIMIT 1");
      refused(c, "INSERT INTO dead_record (source_topic) VALUES ('x')");
    }
  }
}
