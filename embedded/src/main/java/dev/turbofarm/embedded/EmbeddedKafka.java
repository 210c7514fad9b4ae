package dev.turbofarm.embedded;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (combined KRaft broker and controller) started from Apache Kafka's own
 * server classes, for tests (in this JVM) and for the local farm (as its own process through {@link
 * EmbeddedKafkaMain}).
 *
 * <p>The log directory is formatted once with the production feature defaults (share groups on, the
 * new consumer group protocol available) and reused on later starts, so a restarted broker keeps
 * its topics, offsets and share-group state.
 *
 * <p>{@link Security#SCRAM} starts it as docker-compose.yml runs Kafka: clients authenticate with
 * SASL/SCRAM-SHA-512 on the client listener, and the StandardAuthorizer allows only what an ACL
 * grants ({@link FarmAcls}). Users and ACLs are made through {@link #internalBootstrapServers()}, a
 * PLAINTEXT listener on loopback whose anonymous principal is the super user (the broker's own
 * inter-broker listener, as the compose file's set-up step uses it).
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String SASL_LISTENER = "SASL_PLAINTEXT";
  private static final String INTERNAL_LISTENER = "INTERNAL";
  private static final String HOST = "127.0.0.1";

  /** The SASL mechanism of a {@link Security#SCRAM} broker. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  /** How clients reach the broker. */
  public enum Security {
    /** No authentication, no authorisation: the local loopback farm and most tests. */
    PLAINTEXT,
    /** SASL/SCRAM-SHA-512 for clients, ACLs enforced by the StandardAuthorizer. */
    SCRAM
  }

  /**
   * First start formats, creates metadata and internal topics: ~3 s here, 60 s leaves slack for a
   * loaded CI box.
   */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final Path logDir;
  private final int port;
  private final int internalPort;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(KafkaRaftServer server, Path logDir, int port, int internalPort) {
    this.server = server;
    this.logDir = logDir;
    this.port = port;
    this.internalPort = internalPort;
  }

  /**
   * Starts a broker on {@code port} (0 picks a free one) with its data in {@code logDir}, and
   * returns once an admin client sees it serve.
   *
   * @throws EmbeddedStartException naming the directory and port when it cannot start
   */
  public static EmbeddedKafka start(Path logDir, int port) {
    return start(logDir, port, Security.PLAINTEXT);
  }

  /**
   * Starts a broker as {@link #start(Path, int)} does, with the given client security.
   *
   * @throws EmbeddedStartException naming the directory and port when it cannot start
   */
  public static EmbeddedKafka start(Path logDir, int port, Security security) {
    Path dir = logDir.toAbsolutePath();
    int brokerPort = port == 0 ? Ports.freePort() : port;
    if (!Ports.isFree(brokerPort)) {
      throw new EmbeddedStartException(
          "Kafka: port "
              + brokerPort
              + " on "
              + HOST
              + " is already in use; pick another port or stop what uses it");
    }
    // The controller port is not part of the formatted metadata (static quorum), so a fresh one
    // each start is fine.
    int controllerPort = Ports.freePort();
    int internalPort = security == Security.SCRAM ? Ports.freePort() : brokerPort;
    Properties props =
        security == Security.SCRAM
            ? scramProperties(dir, brokerPort, internalPort, controllerPort)
            : brokerProperties(dir, brokerPort, controllerPort);
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    try {
      Files.createDirectories(dir);
      formatIfNeeded(dir, config);
    } catch (Exception e) {
      throw new EmbeddedStartException(
          "Kafka: could not format the log directory " + dir + ": " + e.getMessage(), e);
    }
    long startNanos = System.nanoTime();
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    EmbeddedKafka kafka = new EmbeddedKafka(server, dir, brokerPort, internalPort);
    try {
      server.startup();
      kafka.awaitServing();
    } catch (RuntimeException e) {
      kafka.close();
      throw new EmbeddedStartException(
          "Kafka: broker on "
              + HOST
              + ":"
              + brokerPort
              + " with data in "
              + dir
              + " did not start: "
              + e.getMessage(),
          e);
    }
    LOG.info(
        "Kafka broker serving on {} (data {}) after {} ms",
        kafka.bootstrapServers(),
        dir,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    return kafka;
  }

  /** {@code host:port} for the {@code bootstrap.servers} client setting. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  /**
   * {@code host:port} of the PLAINTEXT listener whose anonymous principal is the super user; the
   * same as {@link #bootstrapServers()} on a {@link Security#PLAINTEXT} broker. For setting up
   * users and ACLs only.
   */
  public String internalBootstrapServers() {
    return HOST + ":" + internalPort;
  }

  /**
   * Client settings for a SCRAM user of a {@link Security#SCRAM} broker: {@code security.protocol},
   * {@code sasl.mechanism} and {@code sasl.jaas.config}.
   */
  public static Map<String, Object> scramClientConfig(String user, String password) {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        SCRAM_MECHANISM,
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
  }

  public Path logDir() {
    return logDir;
  }

  /** Stops the broker and waits until it has shut down; the data stays for the next start. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.shutdown();
      server.awaitShutdown();
      LOG.info("Kafka broker on {} stopped", bootstrapServers());
    } catch (RuntimeException e) {
      LOG.warn("Kafka broker on {} did not stop cleanly (data {})", bootstrapServers(), logDir, e);
    }
  }

  static Properties brokerProperties(Path dir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        BROKER_LISTENER
            + "://"
            + HOST
            + ":"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + HOST
            + ":"
            + controllerPort);
    p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    p.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("log.dirs", dir.toString());

    // One node: every internal topic has exactly one replica.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    // Fewer internal partitions than the defaults (50): each costs start-up time on 2 cores and
    // buys nothing on one node.
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.num.partitions", "4");

    // Groups form at once: tests and the local farm should not wait the 3 s default.
    p.put("group.initial.rebalance.delay.ms", "0");

    // Share groups as a job queue: a long batch holds its records' locks for up to 1 h (3,600,000
    // ms),
    // and tests may shorten the lock to 1 s (1,000 ms) to see redelivery quickly.
    p.put("group.share.max.record.lock.duration.ms", "3600000");
    p.put("group.share.min.record.lock.duration.ms", "1000");
    // Shorter share/consumer session timeouts allowed (down to 6 s) so a killed worker is noticed
    // quickly in tests.
    p.put("group.share.min.session.timeout.ms", "6000");
    p.put("group.consumer.min.session.timeout.ms", "6000");
    // Share-group dead letters (Kafka 4.4): let the broker create a missing dlq.* topic itself.
    p.put("errors.deadletterqueue.auto.create.topics.enable", "true");
    // Topics are created by the coordinator with their partition counts; a worker's producer or
    // consumer must not create them first with one partition.
    p.put("auto.create.topics.enable", "false");
    return p;
  }

  /**
   * The PLAINTEXT broker's settings with the client listener on SASL/SCRAM and the
   * StandardAuthorizer on: the inter-broker listener (PLAINTEXT on loopback) and the controller's
   * are the only ones whose anonymous principal is trusted, as super user.
   */
  static Properties scramProperties(
      Path dir, int brokerPort, int internalPort, int controllerPort) {
    Properties p = brokerProperties(dir, brokerPort, controllerPort);
    p.put(
        "listeners",
        SASL_LISTENER
            + "://"
            + HOST
            + ":"
            + brokerPort
            + ","
            + INTERNAL_LISTENER
            + "://"
            + HOST
            + ":"
            + internalPort
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + HOST
            + ":"
            + controllerPort);
    p.put(
        "advertised.listeners",
        SASL_LISTENER
            + "://"
            + HOST
            + ":"
            + brokerPort
            + ","
            + INTERNAL_LISTENER
            + "://"
            + HOST
            + ":"
            + internalPort);
    p.put("inter.broker.listener.name", INTERNAL_LISTENER);
    p.put(
        "listener.security.protocol.map",
        SASL_LISTENER
            + ":SASL_PLAINTEXT,"
            + INTERNAL_LISTENER
            + ":PLAINTEXT,"
            + CONTROLLER_LISTENER
            + ":PLAINTEXT");
    p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
    p.put(
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    // Only the loopback listeners are anonymous; anything on the client listener authenticated.
    p.put("super.users", "User:ANONYMOUS");
    p.put("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  private static void formatIfNeeded(Path dir, KafkaConfig config) throws Exception {
    if (Files.exists(dir.resolve("meta.properties"))) {
      LOG.info("Kafka log directory {} already formatted; reusing its data", dir);
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Formatter formatter =
        new Formatter()
            .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
            .setNodeId(NODE_ID)
            .setClusterId(Uuid.randomUuid().toString())
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .setControllerListenerName(CONTROLLER_LISTENER)
            .setMetadataLogDirectory(config.metadataLogDir())
            .setIgnoreFormatted(true)
            .addDirectory(dir.toString());
    formatter.run();
    LOG.info(
        "Formatted Kafka log directory {}: {}", dir, out.toString(StandardCharsets.UTF_8).trim());
  }

  private void awaitServing() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Map<String, Object> adminConfig =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    Exception last = null;
    try (Admin admin = Admin.create(adminConfig)) {
      while (System.nanoTime() < deadline) {
        try {
          // describeCluster lists only registered, unfenced brokers: an empty list means not yet
          // serving.
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (Exception e) {
          last = e;
        }
        sleep(100);
      }
    }
    throw new IllegalStateException(
        "no answer to describeCluster within "
            + READY_TIMEOUT.toSeconds()
            + " s"
            + (last == null ? "" : " (last error: " + last + ")"),
        last);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
