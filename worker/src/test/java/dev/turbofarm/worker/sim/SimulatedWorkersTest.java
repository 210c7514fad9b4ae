package dev.turbofarm.worker.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Simulated workers on a real broker: every virtual worker heartbeats as its own worker (and names
 * the jobs it takes at once), jobs come back as one result per image in batches of at most the max
 * batch, from several virtual workers, with the simulation's model id and no file; a drain leaves
 * every virtual worker STOPPED.
 */
class SimulatedWorkersTest {
  /** The simulated workers' jobs topics: those of their model, as the dispatcher routes them. */
  private static final String BULK = Topics.jobsFor(SimulatedWorkers.MODEL_ID);

  private static final String INTERACTIVE = Topics.interactiveJobsFor(SimulatedWorkers.MODEL_ID);

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    Path dir = Files.createTempDirectory("sim-test-");
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(BULK, 3, (short) 1),
                  new NewTopic(INTERACTIVE, 1, (short) 1),
                  new NewTopic(Topics.RESULTS, 1, (short) 1),
                  new NewTopic(Topics.RESULTS_INTERACTIVE, 1, (short) 1),
                  new NewTopic(Topics.HEARTBEATS, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      List<AlterConfigOp> earliest =
          List.of(
              new AlterConfigOp(
                  new ConfigEntry("share.auto.offset.reset", "earliest"),
                  AlterConfigOp.OpType.SET));
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.GROUP, Topics.WORKER_SHARE_GROUP),
                  earliest,
                  new ConfigResource(
                      ConfigResource.Type.GROUP, Topics.WORKER_INTERACTIVE_SHARE_GROUP),
                  earliest))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void virtualWorkersHeartbeatRenderInBatchesAndDrain() throws Exception {
    SimulationConfig config =
        new SimulationConfig(
            "simtest",
            kafka.bootstrapServers(),
            0,
            6,
            2,
            4,
            RenderTime.parse("30"),
            Duration.ofMillis(100),
            Duration.ofMillis(300),
            1);
    SimulatedWorkers sim = new SimulatedWorkers(config);
    Thread t =
        new Thread(
            () -> {
              try {
                sim.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "sim");
    t.start();
    try (KafkaConsumer<String, byte[]> results =
            consumer(List.of(Topics.RESULTS, Topics.RESULTS_INTERACTIVE));
        KafkaConsumer<String, byte[]> heartbeats = consumer(List.of(Topics.HEARTBEATS))) {
      Set<UUID> jobs = new HashSet<>();
      UUID interactive;
      try (KafkaProducer<String, byte[]> p = producer()) {
        for (int i = 0; i < 40; i++) {
          jobs.add(produce(p, BULK, i, i % 5 == 0 ? 2 : 1));
        }
        interactive = produce(p, INTERACTIVE, 99, 1);
        jobs.add(interactive);
      }
      Map<UUID, List<ResultMessage>> got = new HashMap<>();
      Map<UUID, String> topicOf = new HashMap<>();
      await("a result for every image of 41 jobs, one of them interactive")
          .pollInSameThread()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(200))) {
                  ResultMessage m = Json.read(r.value(), ResultMessage.class);
                  got.computeIfAbsent(m.jobId(), k -> new ArrayList<>()).add(m);
                  topicOf.put(m.jobId(), r.topic());
                }
                return got.keySet().containsAll(jobs);
              });
      List<ResultMessage> all = got.values().stream().flatMap(List::stream).toList();
      assertThat(topicOf.get(interactive)).isEqualTo(Topics.RESULTS_INTERACTIVE);
      assertThat(topicOf.entrySet())
          .filteredOn(e -> !e.getKey().equals(interactive))
          .allMatch(e -> e.getValue().equals(Topics.RESULTS));
      assertThat(all).allMatch(m -> m.status() == ResultMessage.Status.SUCCEEDED);
      assertThat(all).allMatch(m -> m.modelId().equals(SimulatedWorkers.MODEL_ID));
      assertThat(all)
          .as("the key a real image would have, nothing stored")
          .allMatch(
              m ->
                  m.storageKey()
                      .equals(dev.turbofarm.store.StorageKeys.image(m.jobId(), m.index())));
      assertThat(all).allMatch(m -> m.batchSize() >= 1 && m.batchSize() <= 4);
      assertThat(all).allMatch(m -> m.renderMs() == 30);
      // Jobs of two images have two results with their own seeds.
      assertThat(got.values())
          .allMatch(rs -> rs.stream().map(ResultMessage::index).distinct().count() == rs.size());
      assertThat(all.stream().map(ResultMessage::workerId).distinct().count())
          .as("results from several virtual workers")
          .isGreaterThan(1);

      Map<String, List<Heartbeat>> beats = new HashMap<>();
      await("heartbeats of every virtual worker, one naming jobs it holds")
          .pollInSameThread()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : heartbeats.poll(Duration.ofMillis(200))) {
                  Heartbeat h = Json.read(r.value(), Heartbeat.class);
                  beats.computeIfAbsent(h.workerId(), k -> new ArrayList<>()).add(h);
                }
                return beats.keySet().containsAll(sim.workerIds())
                    && beats.values().stream()
                        .flatMap(List::stream)
                        .anyMatch(h -> !h.jobsInFlight().isEmpty());
              });
      assertThat(beats.keySet()).containsAll(sim.workerIds()).hasSize(6);
      assertThat(beats.values().stream().flatMap(List::stream))
          .allMatch(h -> h.modelId().equals(SimulatedWorkers.MODEL_ID) && h.maxBatchSize() == 4);

      assertThat(sim.drain(Duration.ofSeconds(30))).isTrue();
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
      Map<String, WorkerState> last = new HashMap<>();
      await("a STOPPED heartbeat from every virtual worker")
          .pollInSameThread()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : heartbeats.poll(Duration.ofMillis(200))) {
                  Heartbeat h = Json.read(r.value(), Heartbeat.class);
                  last.put(h.workerId(), h.state());
                }
                return last.size() == 6
                    && last.values().stream().allMatch(s -> s == WorkerState.STOPPED);
              });
    } finally {
      sim.drain(Duration.ofSeconds(5));
    }
  }

  private static UUID produce(KafkaProducer<String, byte[]> p, String topic, long seed, int images)
      throws Exception {
    UUID id = UUID.randomUUID();
    List<Long> seeds = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      seeds.add(seed * 10 + i);
    }
    JobMessage job =
        new JobMessage(
            JobMessage.SCHEMA,
            id,
            1,
            "t",
            "a red mug",
            "",
            "draft",
            512,
            512,
            10,
            6.0,
            seeds,
            System.currentTimeMillis(),
            System.currentTimeMillis(),
            null,
            SimulatedWorkers.MODEL_ID,
            topic.equals(INTERACTIVE) ? 10 : 0);
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, id.toString(), Json.write(job));
    r.headers()
        .add(
            Topics.SCHEMA_HEADER,
            dev.turbofarm.common.messaging.MessageRules.schemaHeader(JobMessage.SCHEMA));
    p.send(r).get();
    return id;
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  private static KafkaConsumer<String, byte[]> consumer(List<String> topics) {
    KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    c.subscribe(topics);
    return c;
  }
}
