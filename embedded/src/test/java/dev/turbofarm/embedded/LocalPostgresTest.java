package dev.turbofarm.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

  @TempDir Path dir;

  @Test
  void createsADatabaseAndKeepsRowsAcrossARestart() throws Exception {
    try (LocalPostgres pg = LocalPostgres.start(dir, 0)) {
      pg.createDatabaseIfMissing("farm_test");
      pg.createDatabaseIfMissing("farm_test"); // idempotent
      try (Connection c =
              DriverManager.getConnection(pg.jdbcUrl("farm_test"), pg.username(), pg.password());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
        s.execute("INSERT INTO t VALUES (1, 'kept')");
      }
    }
    try (LocalPostgres pg = LocalPostgres.start(dir, 0);
        Connection c =
            DriverManager.getConnection(pg.jdbcUrl("farm_test"), pg.username(), pg.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM t WHERE id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("kept");
    }
  }
}
