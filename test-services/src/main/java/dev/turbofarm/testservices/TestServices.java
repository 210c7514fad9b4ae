package dev.turbofarm.testservices;

import java.util.Locale;

/**
 * The Kafka broker and PostgreSQL that integration tests run against, started once per test JVM and
 * shared by every test that asks. System property {@value #PROPERTY} chooses them:
 *
 * <ul>
 *   <li>{@code embedded} (the default): the real KRaft broker and PostgreSQL of {@code embedded/},
 *       in this JVM, no Docker needed;
 *   <li>{@code containers}: the images and settings {@code docker-compose.yml} names ({@link
 *       ComposeServices}), through Testcontainers. Without a Docker engine, the tests that need
 *       them are skipped (a JUnit assumption) with a message saying so.
 * </ul>
 */
public interface TestServices {
  /** The system property that chooses the services: {@code embedded} or {@code containers}. */
  String PROPERTY = "turbofarm.test.services";

  /** Which services run. */
  enum Kind {
    EMBEDDED,
    CONTAINERS;

    /** {@code embedded} or {@code containers}, any case; anything else names the property. */
    public static Kind parse(String value) {
      String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "", "embedded" -> EMBEDDED;
        case "containers" -> CONTAINERS;
        default ->
            throw new IllegalArgumentException(
                "-D"
                    + PROPERTY
                    + "="
                    + value
                    + " is not known: use embedded (the default) or containers");
      };
    }
  }

  /** The kind the system property chooses. */
  static Kind chosen() {
    return Kind.parse(System.getProperty(PROPERTY));
  }

  /**
   * This JVM's services, started on the first call. Throws JUnit's {@code TestAbortedException}
   * (the test is skipped) when containers are chosen and no Docker engine answers.
   */
  static TestServices shared() {
    return SharedServices.get();
  }

  Kind kind();

  /** The broker's {@code host:port}. */
  String bootstrapServers();

  /** A JDBC URL of {@code database}, which is created when missing. */
  String jdbcUrl(String database);

  String username();

  String password();
}
