package dev.turbofarm.coordinator;

import dev.turbofarm.embedded.EmbeddedKafka;
import dev.turbofarm.embedded.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real services the coordinator tests run against: one Kafka broker (KRaft, in this JVM) and
 * one PostgreSQL, started once per test JVM and shared by every test class.
 */
public class FarmServicesResource implements QuarkusTestResourceLifecycleManager {
  private static EmbeddedKafka kafka;
  private static LocalPostgres postgres;

  /** The broker's bootstrap servers, for tests that produce or consume directly. */
  public static synchronized String bootstrap() {
    return kafka.bootstrapServers();
  }

  public static synchronized String jdbcUrl() {
    return postgres.jdbcUrl("turbofarm_test");
  }

  public static synchronized LocalPostgres postgres() {
    return postgres;
  }

  @Override
  public synchronized Map<String, String> start() {
    if (kafka == null) {
      try {
        Path dir = Files.createTempDirectory("turbofarm-test-");
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        postgres = LocalPostgres.start(dir.resolve("pg"), 0);
        postgres.createDatabaseIfMissing("turbofarm_test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Map.of(
        "kafka.bootstrap.servers", kafka.bootstrapServers(),
        "quarkus.datasource.jdbc.url", postgres.jdbcUrl("turbofarm_test"),
        "quarkus.datasource.username", postgres.username(),
        "quarkus.datasource.password", postgres.password());
  }

  @Override
  public void stop() {
    // Shared by every test class of this JVM; the JVM's exit stops both.
  }
}
