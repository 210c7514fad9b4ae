package dev.turbofarm.testservices;

import java.util.Map;
import java.util.Set;

/**
 * What {@code docker-compose.yml} names for the broker and the database, in one place: the
 * Testcontainers path starts exactly these images with these settings, and {@code ComposeFileTest}
 * fails when the compose file and these constants part ways.
 */
public final class ComposeServices {
  /** The compose file's {@code kafka} image. */
  public static final String KAFKA_IMAGE = "apache/kafka:4.4.0";

  /**
   * The compose file's Kafka settings that the container gets as they are, as the image reads them
   * (environment {@code KAFKA_X_Y} is the broker property {@code x.y}): KRaft roles and node id,
   * single-node replication of the internal topics (share-coordinator state included), the longest
   * share-record lock and the share-group dead-letter topics.
   */
  public static final Map<String, String> KAFKA_ENV =
      Map.ofEntries(
          Map.entry("KAFKA_NODE_ID", "1"),
          Map.entry("KAFKA_PROCESS_ROLES", "broker,controller"),
          Map.entry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1"),
          Map.entry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1"),
          Map.entry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1"),
          Map.entry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1"),
          Map.entry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1"),
          Map.entry("KAFKA_GROUP_SHARE_MAX_RECORD_LOCK_DURATION_MS", "3600000"),
          Map.entry("KAFKA_ERRORS_DEADLETTERQUEUE_AUTO_CREATE_TOPICS_ENABLE", "true"),
          Map.entry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false"));

  /**
   * The compose file's Kafka settings that Testcontainers replaces with its own: the listeners and
   * the controller quorum's address. In compose, clients reach the broker as {@code kafka:9092} on
   * the compose network; a test reaches it from the host on a mapped port.
   */
  public static final Set<String> KAFKA_ENV_SET_BY_TESTCONTAINERS =
      Set.of(
          "KAFKA_LISTENERS",
          "KAFKA_ADVERTISED_LISTENERS",
          "KAFKA_CONTROLLER_LISTENER_NAMES",
          "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
          "KAFKA_CONTROLLER_QUORUM_VOTERS");

  /**
   * The compose file's access control, which the test containers leave out: their clients connect
   * PLAINTEXT, as to the embedded broker (ScramAclTest runs SASL/SCRAM and these ACLs on the
   * embedded broker), and Testcontainers sets the listeners itself.
   */
  public static final Set<String> KAFKA_ENV_SECURITY =
      Set.of(
          "KAFKA_INTER_BROKER_LISTENER_NAME",
          "KAFKA_SASL_ENABLED_MECHANISMS",
          "KAFKA_LISTENER_NAME_SASL__PLAINTEXT_SCRAM___SHA___512_SASL_JAAS_CONFIG",
          "KAFKA_AUTHORIZER_CLASS_NAME",
          "KAFKA_SUPER_USERS",
          "KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND");

  /** The compose file's {@code postgres} image. */
  public static final String POSTGRES_IMAGE = "postgres:16";

  /** The compose file's {@code POSTGRES_DB}: the coordinator's database. */
  public static final String POSTGRES_DB = "turbofarm";

  /** The compose file's {@code POSTGRES_USER}: the superuser that makes TurboFarm's roles. */
  public static final String POSTGRES_USER = "postgres";

  /**
   * The test containers' superuser password. The compose file ships none: it requires {@code
   * POSTGRES_PASSWORD} from the environment.
   */
  public static final String POSTGRES_PASSWORD = "postgres-test";

  private ComposeServices() {}
}
