package dev.turbofarm.coordinator;

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

  /** The database's credentials: {@code username()} and {@code password()}. */
  public static TestServices postgres() {
    return TestServices.shared();
  }

  @Override
  public Map<String, String> start() {
    TestServices s = TestServices.shared();
    Map<String, String> config = new java.util.HashMap<>(TestStorage.config());
    config.putAll(
        Map.of(
            "kafka.bootstrap.servers", s.bootstrapServers(),
            "quarkus.datasource.jdbc.url", s.jdbcUrl(DATABASE),
            "quarkus.datasource.username", s.username(),
            "quarkus.datasource.password", s.password()));
    return config;
  }

  @Override
  public void stop() {
    // Shared by every test class of this JVM; they stop when the JVM exits.
  }
}
