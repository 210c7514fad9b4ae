package dev.turbofarm.coordinator;

import dev.turbofarm.embedded.DatabaseRoles;
import dev.turbofarm.testservices.TestServices;
import dev.turbofarm.testservices.UsesTestServices;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The real services the coordinator tests run against: one Kafka broker and one PostgreSQL, started
 * once per test JVM and shared by every test class. The embedded ones by default; the images of
 * {@code docker-compose.yml} with {@code -Dturbofarm.test.services=containers} (see {@link
 * TestServices}; without Docker those tests are skipped).
 */
public class FarmServicesResource implements QuarkusTestResourceLifecycleManager, UsesTestServices {
  /** The tests' own database, apart from the one a local farm uses. */
  private static final String DATABASE = "turbofarm_test";

  /** The broker's bootstrap servers, for tests that produce or consume directly. */
  public static String bootstrap() {
    return TestServices.shared().bootstrapServers();
  }

  public static String jdbcUrl() {
    return TestServices.shared().jdbcUrl(DATABASE);
  }

  /** A superuser connection to the tests' database, for tests that read or write rows directly. */
  public static java.sql.Connection superuser() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(
        jdbcUrl(), postgres().username(), postgres().password());
  }

  /** The database's credentials: {@code username()} and {@code password()}. */
  public static TestServices postgres() {
    return TestServices.shared();
  }

  /** The three roles' passwords in the tests' PostgreSQL. */
  static final DatabaseRoles.Passwords PASSWORDS =
      new DatabaseRoles.Passwords("owner-test", "app-test", "analyst-test");

  private static boolean rolesMade;

  /**
   * The tests' database with its three roles, as production has them: migrations run as the owner,
   * the coordinator's pool as the runtime role (tests that read or write rows directly use the
   * superuser of {@link #postgres()}).
   */
  static synchronized String databaseWithRoles() {
    String url = jdbcUrl();
    if (!rolesMade) {
      try {
        DatabaseRoles.bootstrap(
            url.substring(0, url.lastIndexOf('/') + 1),
            postgres().username(),
            postgres().password(),
            DATABASE,
            PASSWORDS);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot make the tests' database roles", e);
      }
      rolesMade = true;
    }
    return url;
  }

  @Override
  public Map<String, String> start() {
    TestServices s = TestServices.shared();
    Map<String, String> config = new java.util.HashMap<>(TestStorage.config());
    config.putAll(
        Map.of(
            "kafka.bootstrap.servers", s.bootstrapServers(),
            "quarkus.datasource.jdbc.url", databaseWithRoles(),
            "quarkus.datasource.username", DatabaseRoles.APP,
            "quarkus.datasource.password", PASSWORDS.app(),
            "quarkus.flyway.username", DatabaseRoles.OWNER,
            "quarkus.flyway.password", PASSWORDS.owner()));
    return config;
  }

  @Override
  public void stop() {
    // Shared by every test class of this JVM; they stop when the JVM exits.
  }
}
