package dev.turbofarm.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * TurboFarm's three database roles on a PostgreSQL cluster, made as {@code
 * db/src/main/resources/db/bootstrap/roles.sql} makes them in production, for the embedded
 * PostgreSQL of {@code ./farm up} and of the tests: {@link #OWNER} owns the database, its schema
 * and every object in it and runs the migrations; {@link #APP} is the coordinator's pool (rows
 * only, granted by migration V25); {@link #ANALYST} reads the history views only. Idempotent: run
 * it at every start; existing roles get the given passwords, objects another role created (a data
 * directory from before the roles) pass to the owner.
 */
public final class DatabaseRoles {
  /** Owns the database and every object; Flyway's user. */
  public static final String OWNER = "turbofarm_owner";

  /** The coordinator's connection pool. */
  public static final String APP = "turbofarm_app";

  /** SQL clients of analysts: the history views only. */
  public static final String ANALYST = "turbofarm_analyst";

  private static final Pattern DATABASE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** The three roles' passwords. */
  public record Passwords(String owner, String app, String analyst) {}

  private DatabaseRoles() {}

  /**
   * Creates or updates the roles and hands {@code database} (created when missing) to the owner.
   *
   * @param server a JDBC URL of the server without a database name at its end, e.g. {@code
   *     jdbc:postgresql://localhost:5432/}
   * @param superUser a superuser (or a role with CREATEROLE and CREATEDB) and its password
   */
  public static void bootstrap(
      String server, String superUser, String superPassword, String database, Passwords p)
      throws SQLException {
    if (!DATABASE.matcher(database).matches()) {
      throw new IllegalArgumentException("database name must match " + DATABASE + ": " + database);
    }
    try (Connection c =
        DriverManager.getConnection(server + "postgres", superUser, superPassword)) {
      role(c, OWNER, p.owner());
      role(c, APP, p.app());
      role(c, ANALYST, p.analyst());
      boolean exists;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        ps.setString(1, database);
        try (ResultSet rs = ps.executeQuery()) {
          exists = rs.next();
        }
      }
      try (Statement s = c.createStatement()) {
        if (!exists) {
          try {
            s.execute("CREATE DATABASE " + database + " OWNER " + OWNER);
          } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // made by someone else meanwhile: fine
              throw e;
            }
          }
        }
        s.execute("ALTER DATABASE " + database + " OWNER TO " + OWNER);
        s.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
        s.execute("GRANT CONNECT ON DATABASE " + database + " TO " + APP + ", " + ANALYST);
      }
    }
    try (Connection c = DriverManager.getConnection(server + database, superUser, superPassword);
        Statement s = c.createStatement()) {
      s.execute("ALTER SCHEMA public OWNER TO " + OWNER);
      s.execute(
          "DO $$ DECLARE r record; BEGIN"
              + " FOR r IN SELECT c.oid::regclass AS name, CASE c.relkind WHEN 'v' THEN 'VIEW'"
              + " WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind"
              + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
              + " AND pg_get_userbyid(c.relowner) <> '"
              + OWNER
              + "' AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid"
              + " AND d.deptype IN ('a', 'i'))"
              + " LOOP EXECUTE format('ALTER %s %s OWNER TO "
              + OWNER
              + "', r.kind, r.name); END LOOP;"
              + " FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p"
              + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"
              + " AND pg_get_userbyid(p.proowner) <> '"
              + OWNER
              + "' LOOP EXECUTE format('ALTER FUNCTION %s OWNER TO "
              + OWNER
              + "', r.name); END LOOP; END $$");
    }
  }

  /** Creates the login role, or sets its password when it exists. */
  private static void role(Connection c, String name, String password) throws SQLException {
    boolean exists;
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        exists = rs.next();
      }
    }
    String sql;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT format('"
                + (exists ? "ALTER" : "CREATE")
                + " ROLE %I LOGIN PASSWORD %L', ?, ?)")) {
      ps.setString(1, name);
      ps.setString(2, password);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        sql = rs.getString(1);
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      if (!"42710".equals(e.getSQLState())) { // created by someone else meanwhile: fine
        throw e;
      }
    }
  }
}
