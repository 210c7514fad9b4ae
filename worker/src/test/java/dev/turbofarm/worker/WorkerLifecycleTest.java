package dev.turbofarm.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.embedded.EmbeddedKafka;
import dev.turbofarm.worker.pipeline.InstantPipeline;
import dev.turbofarm.worker.pipeline.Pipeline;
import dev.turbofarm.worker.pipeline.RenderRequest;
import dev.turbofarm.worker.pipeline.RenderedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A worker's life on a real broker: it takes no job before its warm-up render is done, and on close
 * (SIGTERM) it finishes and acknowledges the batch in progress before leaving.
 */
class WorkerLifecycleTest {
  private static EmbeddedKafka kafka;
  private static Path resultRoot;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startBroker() throws Exception {
    Path dir = Files.createTempDirectory("worker-test-");
    resultRoot = dir.resolve("results");
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(Topics.JOBS, 2, (short) 1),
                  new NewTopic(Topics.RESULTS, 1, (short) 1),
                  new NewTopic(Topics.HEARTBEATS, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      // As the coordinator does at start: jobs queued before a worker joins are not skipped.
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.GROUP, Topics.WORKER_SHARE_GROUP),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("share.auto.offset.reset", "earliest"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void takesNoJobBeforeItsWarmUpRenderIsDone() throws Exception {
    CountDownLatch warmUpStarted = new CountDownLatch(1);
    CountDownLatch finishWarmUp = new CountDownLatch(1);
    AtomicInteger renders = new AtomicInteger();
    Pipeline gated =
        new GatedPipeline(
            batch -> {
              if (renders.getAndIncrement() == 0) {
                warmUpStarted.countDown();
                await(finishWarmUp);
              }
            });
    Worker worker = new Worker(config("warm-test"), () -> gated);
    Thread t = start(worker);
    try (KafkaConsumer<String, byte[]> results = resultsConsumer()) {
      assertThat(warmUpStarted.await(30, TimeUnit.SECONDS)).isTrue();
      UUID job = produceJob(11);
      assertThat(worker.status().state()).isEqualTo(WorkerState.WARMING);
      assertThat(readyStatus(worker)).isEqualTo(503);
      // Three seconds is ample for the share group to deliver a waiting job to a member.
      assertThat(resultsFor(results, job, Duration.ofSeconds(3))).isEmpty();
      assertThat(renders.get()).as("only the warm-up has rendered").isEqualTo(1);

      finishWarmUp.countDown();
      List<ResultMessage> got = resultsFor(results, job, Duration.ofSeconds(60));
      assertThat(got).hasSize(1);
      assertThat(got.get(0).status()).isEqualTo(ResultMessage.Status.SUCCEEDED);
      assertThat(got.get(0).workerId()).isEqualTo("warm-test");
      assertThat(Path.of(got.get(0).path())).exists();
      assertThat(readyStatus(worker)).isEqualTo(200);
    } finally {
      finishWarmUp.countDown();
      worker.close();
      t.join(20_000);
    }
  }

  @Test
  void drainFinishesTheBatchInProgressThenLeaves() throws Exception {
    CountDownLatch rendering = new CountDownLatch(1);
    Pipeline slow =
        new GatedPipeline(
            batch -> {
              // Warm-up renders (there may be several) are not the job.
              if (!batch.get(0).prompt().equals(Worker.WARM_UP.prompt())) {
                rendering.countDown();
                sleep(1500);
              }
            });
    Worker worker = new Worker(config("drain-test"), () -> slow);
    Thread t = start(worker);
    try (KafkaConsumer<String, byte[]> results = resultsConsumer()) {
      UUID job = produceJob(22);
      assertThat(rendering.await(60, TimeUnit.SECONDS)).as("the job started rendering").isTrue();
      worker.close();
      t.join(20_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(worker.status().state()).isEqualTo(WorkerState.STOPPED);
      List<ResultMessage> got = resultsFor(results, job, Duration.ofSeconds(10));
      assertThat(got).as("the batch in progress was finished and published").hasSize(1);
    }
  }

  private static WorkerConfig config(String id) {
    return new WorkerConfig(
        id,
        kafka.bootstrapServers(),
        resultRoot,
        0,
        "test",
        4,
        16_777_216L,
        Duration.ofMillis(5),
        Duration.ofMillis(200),
        Duration.ofSeconds(1),
        Duration.ofSeconds(15));
  }

  private static Thread start(Worker worker) {
    Thread t =
        new Thread(
            () -> {
              try {
                worker.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    t.start();
    return t;
  }

  private static UUID produceJob(long seed) throws Exception {
    UUID id = UUID.randomUUID();
    JobMessage job =
        new JobMessage(
            JobMessage.SCHEMA,
            id,
            1,
            "t",
            "a red mug",
            "",
            "draft",
            256,
            256,
            2,
            1.0,
            List.of(seed),
            System.currentTimeMillis(),
            System.currentTimeMillis(),
            null);
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      p.send(new ProducerRecord<>(Topics.JOBS, id.toString(), Json.write(job))).get();
    }
    return id;
  }

  private static KafkaConsumer<String, byte[]> resultsConsumer() {
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
    c.subscribe(List.of(Topics.RESULTS));
    return c;
  }

  /** Results for one job seen within the window (waits the whole window only if none come). */
  private static List<ResultMessage> resultsFor(
      KafkaConsumer<String, byte[]> c, UUID job, Duration window) {
    List<ResultMessage> out = new ArrayList<>();
    long deadline = System.nanoTime() + window.toNanos();
    while (System.nanoTime() < deadline && out.isEmpty()) {
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
        ResultMessage m = Json.read(r.value(), ResultMessage.class);
        if (m.jobId().equals(job)) {
          out.add(m);
        }
      }
    }
    return out;
  }

  private static int readyStatus(Worker w) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + w.healthPort() + "/health/ready"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The instant pipeline behind a hook that runs before each render. */
  private static final class GatedPipeline implements Pipeline {
    private final java.util.function.Consumer<List<RenderRequest>> before;
    private final InstantPipeline inner = new InstantPipeline();

    GatedPipeline(java.util.function.Consumer<List<RenderRequest>> before) {
      this.before = before;
    }

    @Override
    public String modelId() {
      return "gated-test";
    }

    @Override
    public List<RenderedImage> render(List<RenderRequest> batch) {
      before.accept(batch);
      return inner.render(batch);
    }

    @Override
    public void close() {}
  }
}
