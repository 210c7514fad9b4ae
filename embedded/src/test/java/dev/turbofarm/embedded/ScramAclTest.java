package dev.turbofarm.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The farm's Kafka access on a broker with SASL/SCRAM and the StandardAuthorizer on, as
 * docker-compose.yml runs it: a worker's credential can read jobs through the share group and write
 * results, but cannot write a job; the coordinator's can; a wrong password gets nowhere.
 */
class ScramAclTest {
  private static final String COORDINATOR = "coordinator";
  private static final String WORKER = "worker";
  private static final String COORDINATOR_PASSWORD = "coordinator-secret";
  private static final String WORKER_PASSWORD = "worker-secret";

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("scram-kafka-");
    kafka = EmbeddedKafka.start(dir, 0, EmbeddedKafka.Security.SCRAM);
    try (Admin superUser =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.internalBootstrapServers()))) {
      FarmAcls.apply(superUser, COORDINATOR, COORDINATOR_PASSWORD, WORKER, WORKER_PASSWORD);
    }
    // The coordinator creates the topics and configures the share group with its own credential.
    try (Admin coordinator = Admin.create(client(COORDINATOR, COORDINATOR_PASSWORD))) {
      await("the coordinator's ACLs are in force")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                coordinator
                    .createTopics(
                        List.of(
                            new NewTopic(FarmAcls.JOBS, 1, (short) 1),
                            new NewTopic(FarmAcls.MODEL_JOBS_PREFIX + "some-model", 1, (short) 1),
                            new NewTopic(
                                FarmAcls.MODEL_JOBS_PREFIX + "interactive.some-model",
                                1,
                                (short) 1),
                            new NewTopic(FarmAcls.RESULTS, 1, (short) 1),
                            new NewTopic(FarmAcls.HEARTBEATS, 1, (short) 1)))
                    .all()
                    .get(10, TimeUnit.SECONDS);
                return true;
              });
      coordinator
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.GROUP, FarmAcls.WORKER_SHARE_GROUP),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("share.auto.offset.reset", "earliest"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static Map<String, Object> client(String user, String password) {
    Map<String, Object> c = new HashMap<>(EmbeddedKafka.scramClientConfig(user, password));
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return c;
  }

  private static KafkaProducer<String, byte[]> producer(String user, String password) {
    Map<String, Object> c = client(user, password);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return new KafkaProducer<>(c);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aWorkerCanWriteResultsButNotJobs() throws Exception {
    try (KafkaProducer<String, byte[]> worker = producer(WORKER, WORKER_PASSWORD)) {
      assertThat(
              worker
                  .send(new ProducerRecord<>(FarmAcls.RESULTS, "k", bytes("result")))
                  .get(30, TimeUnit.SECONDS)
                  .offset())
          .isGreaterThanOrEqualTo(0);
      worker
          .send(new ProducerRecord<>(FarmAcls.HEARTBEATS, "k", bytes("heartbeat")))
          .get(30, TimeUnit.SECONDS);
    }
    // A fresh producer: the refusal is about the topic, not a producer already in error.
    try (KafkaProducer<String, byte[]> worker = producer(WORKER, WORKER_PASSWORD)) {
      assertThatThrownBy(
              () ->
                  worker
                      .send(new ProducerRecord<>(FarmAcls.JOBS, "k", bytes("forged job")))
                      .get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    // Nor a model's jobs topic, bulk or interactive: reading them is all a worker may do.
    for (String topic :
        List.of(
            FarmAcls.MODEL_JOBS_PREFIX + "some-model",
            FarmAcls.MODEL_JOBS_PREFIX + "interactive.some-model")) {
      try (KafkaProducer<String, byte[]> worker = producer(WORKER, WORKER_PASSWORD)) {
        assertThatThrownBy(
                () ->
                    worker
                        .send(new ProducerRecord<>(topic, "k", bytes("forged job")))
                        .get(30, TimeUnit.SECONDS))
            .as(topic)
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(TopicAuthorizationException.class);
      }
    }
  }

  @Test
  void theCoordinatorWritesJobsAndAWorkerReadsThemThroughTheShareGroup() throws Exception {
    String key = "job-" + System.nanoTime();
    try (KafkaProducer<String, byte[]> coordinator = producer(COORDINATOR, COORDINATOR_PASSWORD)) {
      coordinator
          .send(new ProducerRecord<>(FarmAcls.JOBS, key, bytes("a job")))
          .get(30, TimeUnit.SECONDS);
    }
    Map<String, Object> c = client(WORKER, WORKER_PASSWORD);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, FarmAcls.WORKER_SHARE_GROUP);
    c.put("share.acknowledgement.mode", "explicit");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaShareConsumer<String, byte[]> worker = new KafkaShareConsumer<>(c)) {
      worker.subscribe(List.of(FarmAcls.JOBS));
      boolean[] seen = {false};
      await("the worker receives the job")
          .pollInSameThread()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : worker.poll(Duration.ofMillis(500))) {
                  seen[0] |= key.equals(r.key());
                  worker.acknowledge(r, AcknowledgeType.ACCEPT);
                }
                worker.commitSync();
                return seen[0];
              });
    }
  }

  @Test
  void aWrongPasswordGetsNowhere() {
    try (KafkaProducer<String, byte[]> intruder = producer(WORKER, "guessed")) {
      assertThatThrownBy(
              () ->
                  intruder
                      .send(new ProducerRecord<>(FarmAcls.RESULTS, "k", bytes("x")))
                      .get(30, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void theComposeFileGrantsTheSameAcls() throws Exception {
    String compose = Files.readString(Path.of("..", "docker-compose.yml"));
    for (String line : FarmAcls.kafkaAclsCommands()) {
      assertThat(compose).as("docker-compose.yml's kafka-setup").contains(line);
    }
  }
}
