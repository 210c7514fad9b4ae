package dev.turbofarm.testservices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * docker-compose.yml and the Testcontainers path name the same images and settings. Runs without
 * Docker: it reads the compose file and the containers' configuration, starting nothing.
 */
class ComposeFileTest {
  private static JsonNode services;

  @BeforeAll
  static void readComposeFile() throws IOException {
    Path file = Path.of(System.getProperty("turbofarm.compose.file", "../docker-compose.yml"));
    services = new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("services");
    assertThat(services.isObject()).as("services: in %s", file.toAbsolutePath()).isTrue();
  }

  private static Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    services
        .path(service)
        .path("environment")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    assertThat(env).as("environment of service %s", service).isNotEmpty();
    return env;
  }

  @Test
  void theKafkaImageAndEverySettingItPassesAreTheComposeFiles() {
    assertThat(services.path("kafka").path("image").asText())
        .isEqualTo(ComposeServices.KAFKA_IMAGE);
    Map<String, String> compose = environment("kafka");
    assertThat(compose).containsAllEntriesOf(ComposeServices.KAFKA_ENV);
    // A setting added to the compose file must be passed to the container too, or named as one
    // Testcontainers sets itself.
    Map<String, String> unaccounted = new LinkedHashMap<>(compose);
    unaccounted.keySet().removeAll(ComposeServices.KAFKA_ENV.keySet());
    unaccounted.keySet().removeAll(ComposeServices.KAFKA_ENV_SET_BY_TESTCONTAINERS);
    unaccounted.keySet().removeAll(ComposeServices.KAFKA_ENV_SECURITY);
    assertThat(unaccounted).as("compose Kafka settings the containers would not get").isEmpty();
    assertThat(compose)
        .as("the tests' own broker limits override no compose setting")
        .doesNotContainKeys(ContainerServices.TEST_KAFKA_ENV.keySet().toArray(String[]::new));
  }

  @Test
  void theKafkaContainerIsStartedWithThoseSettings() {
    assertThat(imageName(ContainerServices.KAFKA_IMAGE))
        .isEqualTo(services.path("kafka").path("image").asText());
    KafkaContainer kafka = ContainerServices.kafkaContainer();
    assertThat(kafka.getEnvMap())
        .containsAllEntriesOf(environmentWithout("kafka"))
        .containsAllEntriesOf(ContainerServices.TEST_KAFKA_ENV);
  }

  /** The compose service's environment less what Testcontainers sets itself. */
  private static Map<String, String> environmentWithout(String service) {
    Map<String, String> env = environment(service);
    env.keySet().removeAll(ComposeServices.KAFKA_ENV_SET_BY_TESTCONTAINERS);
    env.keySet().removeAll(ComposeServices.KAFKA_ENV_SECURITY);
    return env;
  }

  @Test
  void thePostgresImageDatabaseAndUserAreTheComposeFiles() {
    assertThat(services.path("postgres").path("image").asText())
        .isEqualTo(ComposeServices.POSTGRES_IMAGE);
    assertThat(environment("postgres"))
        .containsEntry("POSTGRES_DB", ComposeServices.POSTGRES_DB)
        .containsEntry("POSTGRES_USER", ComposeServices.POSTGRES_USER);
    // No password ships: each is a variable compose refuses to start without.
    for (String secret :
        List.of(
            "POSTGRES_PASSWORD",
            "TURBOFARM_DB_OWNER_PASSWORD",
            "TURBOFARM_DB_APP_PASSWORD",
            "TURBOFARM_DB_ANALYST_PASSWORD")) {
      assertThat(environment("postgres").get(secret)).as(secret).matches("\\$\\{\\w+:\\?.+}");
    }
    PostgreSQLContainer pg = ContainerServices.postgresContainer();
    assertThat(imageName(ContainerServices.POSTGRES_IMAGE))
        .isEqualTo(services.path("postgres").path("image").asText());
    assertThat(pg.getDatabaseName()).isEqualTo(environment("postgres").get("POSTGRES_DB"));
    assertThat(pg.getUsername()).isEqualTo(environment("postgres").get("POSTGRES_USER"));
    assertThat(pg.getPassword()).isEqualTo(ComposeServices.POSTGRES_PASSWORD);
  }

  /** {@code name:tag}, read back from the parsed name (asking the container would pull it). */
  private static String imageName(DockerImageName image) {
    return image.getUnversionedPart() + ":" + image.getVersionPart();
  }

  @Test
  void theComposeCoordinatorUsesThatDatabaseWithItsTwoRolesAndSaslForKafka() {
    Map<String, String> coordinator = environment("coordinator");
    assertThat(coordinator.get("QUARKUS_DATASOURCE_JDBC_URL"))
        .endsWith("/" + ComposeServices.POSTGRES_DB);
    assertThat(coordinator)
        .containsEntry("QUARKUS_DATASOURCE_USERNAME", "turbofarm_app")
        .containsEntry("QUARKUS_FLYWAY_USERNAME", "turbofarm_owner")
        .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    assertThat(coordinator.get("QUARKUS_DATASOURCE_PASSWORD")).startsWith("${");
    assertThat(coordinator.get("QUARKUS_FLYWAY_PASSWORD")).startsWith("${");
    assertThat(environment("worker")).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
  }

  @Test
  void workersAndCoordinatorShareTheMinioBucketTheInitContainerCreates() {
    Map<String, String> coordinator = environment("coordinator");
    Map<String, String> worker = environment("worker");
    Map<String, String> minio = environment("minio");
    assertThat(coordinator).containsEntry("TURBOFARM_STORAGE_KIND", "s3");
    assertThat(worker).containsEntry("TURBOFARM_STORAGE", "s3");
    String bucket = coordinator.get("TURBOFARM_STORAGE_S3_BUCKET");
    assertThat(worker.get("TURBOFARM_S3_BUCKET")).isEqualTo(bucket);
    assertThat(worker.get("TURBOFARM_S3_ENDPOINT"))
        .isEqualTo(coordinator.get("TURBOFARM_STORAGE_S3_ENDPOINT"))
        .startsWith("http://minio:");
    assertThat(worker.get("TURBOFARM_S3_ACCESS_KEY"))
        .isEqualTo(coordinator.get("TURBOFARM_STORAGE_S3_ACCESS_KEY"))
        .isEqualTo(minio.get("MINIO_ROOT_USER"));
    assertThat(worker.get("TURBOFARM_S3_SECRET_KEY"))
        .isEqualTo(coordinator.get("TURBOFARM_STORAGE_S3_SECRET_KEY"))
        .isEqualTo(minio.get("MINIO_ROOT_PASSWORD"));
    assertThat(services.path("minio-init").path("command").toString())
        .contains("mb")
        .contains(bucket);
    assertThat(
            services
                .path("coordinator")
                .path("depends_on")
                .path("minio-init")
                .path("condition")
                .asText())
        .isEqualTo("service_completed_successfully");
  }
}
