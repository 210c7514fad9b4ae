package dev.turbofarm.testservices;

import dev.turbofarm.embedded.EmbeddedKafka;
import dev.turbofarm.embedded.LocalPostgres;
import java.nio.file.Path;

/** The embedded broker and PostgreSQL, in this JVM, on free ports, under {@code dir}. */
final class EmbeddedServices implements TestServices, AutoCloseable {
  private final EmbeddedKafka kafka;
  private final LocalPostgres postgres;

  private EmbeddedServices(EmbeddedKafka kafka, LocalPostgres postgres) {
    this.kafka = kafka;
    this.postgres = postgres;
  }

  static EmbeddedServices start(Path dir) {
    EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    try {
      return new EmbeddedServices(kafka, LocalPostgres.start(dir.resolve("pg"), 0));
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  @Override
  public Kind kind() {
    return Kind.EMBEDDED;
  }

  @Override
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  @Override
  public synchronized String jdbcUrl(String database) {
    postgres.createDatabaseIfMissing(database);
    return postgres.jdbcUrl(database);
  }

  @Override
  public String username() {
    return postgres.username();
  }

  @Override
  public String password() {
    return postgres.password();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } finally {
      kafka.close();
    }
  }
}
