package dev.turbofarm.testservices;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The broker and database of {@code docker-compose.yml}, as containers: its images and settings
 * ({@link ComposeServices}), plus the few limits only tests lower ({@link #TEST_KAFKA_ENV}).
 */
final class ContainerServices implements TestServices, AutoCloseable {
  /**
   * Broker limits the tests lower, as the embedded broker does: share-record locks down to 1 s
   * (1,000 ms) and consumer/share sessions down to 6 s (6,000 ms), so redelivery and a dead worker
   * show within a test's patience. Keys the compose file does not set ({@code ComposeFileTest}
   * checks), so no compose setting is overridden.
   */
  static final Map<String, String> TEST_KAFKA_ENV =
      Map.of(
          "KAFKA_GROUP_SHARE_MIN_RECORD_LOCK_DURATION_MS", "1000",
          "KAFKA_GROUP_SHARE_MIN_SESSION_TIMEOUT_MS", "6000",
          "KAFKA_GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS", "6000");

  /** The images the containers run: the compose file's names. */
  static final DockerImageName KAFKA_IMAGE = DockerImageName.parse(ComposeServices.KAFKA_IMAGE);

  static final DockerImageName POSTGRES_IMAGE =
      DockerImageName.parse(ComposeServices.POSTGRES_IMAGE);

  /** PostgreSQL's port inside its container. */
  private static final int POSTGRES_PORT = 5432;

  private final KafkaContainer kafka;
  private final PostgreSQLContainer postgres;

  private ContainerServices(KafkaContainer kafka, PostgreSQLContainer postgres) {
    this.kafka = kafka;
    this.postgres = postgres;
  }

  /** The broker container as the compose file configures it. */
  static KafkaContainer kafkaContainer() {
    return new KafkaContainer(KAFKA_IMAGE)
        .withEnv(ComposeServices.KAFKA_ENV)
        .withEnv(TEST_KAFKA_ENV);
  }

  /** The database container as the compose file configures it. */
  static PostgreSQLContainer postgresContainer() {
    return new PostgreSQLContainer(POSTGRES_IMAGE)
        .withDatabaseName(ComposeServices.POSTGRES_DB)
        .withUsername(ComposeServices.POSTGRES_USER)
        .withPassword(ComposeServices.POSTGRES_PASSWORD);
  }

  /** Starts both side by side (pulls the images on first use). */
  static ContainerServices start() {
    KafkaContainer kafka = kafkaContainer();
    PostgreSQLContainer postgres = postgresContainer();
    try {
      Startables.deepStart(kafka, postgres).join();
    } catch (RuntimeException e) {
      kafka.stop();
      postgres.stop();
      throw new IllegalStateException(
          "the containers of docker-compose.yml ("
              + ComposeServices.KAFKA_IMAGE
              + ", "
              + ComposeServices.POSTGRES_IMAGE
              + ") did not start: "
              + e.getMessage(),
          e);
    }
    return new ContainerServices(kafka, postgres);
  }

  @Override
  public Kind kind() {
    return Kind.CONTAINERS;
  }

  @Override
  public String bootstrapServers() {
    return kafka.getBootstrapServers();
  }

  @Override
  public synchronized String jdbcUrl(String database) {
    String url =
        "jdbc:postgresql://"
            + postgres.getHost()
            + ":"
            + postgres.getMappedPort(POSTGRES_PORT)
            + "/"
            + database;
    if (!database.equals(postgres.getDatabaseName())) {
      createDatabaseIfMissing(database);
    }
    return url;
  }

  private void createDatabaseIfMissing(String database) {
    try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), username(), password());
        PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      q.setString(1, database);
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement s = c.createStatement()) {
        // A name from test code, not from input; CREATE DATABASE takes no bind parameters.
        s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create database " + database + " in " + postgres.getJdbcUrl() + ": " + e, e);
    }
  }

  @Override
  public String username() {
    return postgres.getUsername();
  }

  @Override
  public String password() {
    return postgres.getPassword();
  }

  @Override
  public void close() {
    try {
      kafka.stop();
    } finally {
      postgres.stop();
    }
  }
}
