package dev.turbofarm.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.embedded.EmbeddedKafka;
import dev.turbofarm.model.api.FatalRenderException;
import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.model.api.RetriableRenderException;
import dev.turbofarm.model.api.StepBoundary;
import dev.turbofarm.worker.pipeline.InstantPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * A worker's life on a real broker: it takes no job before its warm-up render is done, on close
 * (SIGTERM) it finishes and acknowledges the batch in progress before leaving, and its failed
 * results say by the failure's type whether a retry may help. Each test runs its own worker and
 * waits only for its own jobs' results, so the tests do not depend on each other's order.
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
                  new NewTopic(Topics.jobsFor(GatedPipeline.MODEL), 2, (short) 1),
                  new NewTopic(Topics.interactiveJobsFor(GatedPipeline.MODEL), 1, (short) 1),
                  new NewTopic(Topics.RESULTS, 1, (short) 1),
                  new NewTopic(Topics.RESULTS_INTERACTIVE, 1, (short) 1),
                  new NewTopic(Topics.HEARTBEATS, 1, (short) 1),
                  new NewTopic(Topics.JOBS_DLQ, 1, (short) 1)
                      .configs(Map.of("errors.deadletterqueue.group.enable", "true"))))
          .all()
          .get(30, TimeUnit.SECONDS);
      // As the coordinator does at start: jobs queued before a worker joins are not skipped,
      // and a rejected record goes to the dead-letter topic, with itself beside the headers.
      List<AlterConfigOp> earliest =
          List.of(
              new AlterConfigOp(
                  new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
              new AlterConfigOp(
                  new ConfigEntry("errors.deadletterqueue.topic.name", Topics.JOBS_DLQ),
                  AlterConfigOp.OpType.SET),
              new AlterConfigOp(
                  new ConfigEntry("errors.deadletterqueue.copy.record.enable", "true"),
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
  void takesNoJobBeforeItsWarmUpRenderIsDone() throws Exception {
    CountDownLatch warmUpStarted = new CountDownLatch(1);
    CountDownLatch finishWarmUp = new CountDownLatch(1);
    AtomicInteger renders = new AtomicInteger();
    Pipeline gated =
        new GatedPipeline(
            batch -> {
              if (renders.getAndIncrement() == 0) {
                warmUpStarted.countDown();
                awaitLatch(finishWarmUp);
              }
            });
    Worker worker = new Worker(config("warm-test"), () -> gated);
    Thread t = start(worker);
    try (KafkaConsumer<String, byte[]> results = resultsConsumer()) {
      assertThat(warmUpStarted.await(30, TimeUnit.SECONDS)).isTrue();
      UUID job = produceJob(11, "a red mug");
      assertThat(worker.status().state()).isEqualTo(WorkerState.WARMING);
      assertThat(readyStatus(worker)).isEqualTo(503);
      // Three seconds is ample for the share group to deliver a waiting job to a member.
      await("no result while the worker warms up")
          .pollInSameThread()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> poll(results, job).isEmpty());
      assertThat(renders.get()).as("only the warm-up has rendered").isEqualTo(1);

      finishWarmUp.countDown();
      List<ResultMessage> got = awaitResult(results, job, Duration.ofSeconds(60));
      assertThat(got).hasSize(1);
      assertThat(got.get(0).status()).isEqualTo(ResultMessage.Status.SUCCEEDED);
      assertThat(got.get(0).workerId()).isEqualTo("warm-test");
      ResultMessage r = got.get(0);
      assertThat(r.schema()).isEqualTo(ResultMessage.SCHEMA);
      assertThat(r.path()).as("no host path on the wire").isNull();
      assertThat(r.storageKey()).isEqualTo(dev.turbofarm.store.StorageKeys.image(job, 0));
      byte[] png = java.nio.file.Files.readAllBytes(resultRoot.resolve(r.storageKey()));
      assertThat(dev.turbofarm.store.image.ImageWriter.sha256Hex(png)).isEqualTo(r.sha256());
      assertThat(r.bytes()).isEqualTo(png.length);
      assertThat(r.thumbnails()).containsExactly(128, 256, 512);
      for (int size : r.thumbnails()) {
        assertThat(resultRoot.resolve(dev.turbofarm.store.StorageKeys.thumbnail(job, 0, size)))
            .as("thumbnail %d beside the image", size)
            .exists();
      }
      assertThat(readyStatus(worker)).isEqualTo(200);

      // Its own metrics: the job's batch (the warm-up is not a job); one state; memory in use.
      Map<String, Double> m = metrics(worker);
      assertThat(m.get("turbofarm_worker_images_rendered_total"))
          .isEqualTo((double) worker.status().imagesRendered())
          .isEqualTo(1.0);
      assertThat(m.get("turbofarm_worker_batch_images_count")).isEqualTo(1.0);
      assertThat(m.get("turbofarm_worker_batch_render_seconds_count"))
          .isEqualTo(m.get("turbofarm_worker_batch_images_count"));
      assertThat(m.get("turbofarm_worker_batch_fill_max")).isPositive().isLessThanOrEqualTo(1.0);
      assertThat(
              m.entrySet().stream().filter(e -> e.getKey().startsWith("turbofarm_worker_state{")))
          .as("one state at a time")
          .hasSize(WorkerState.values().length)
          .filteredOn(e -> e.getValue() == 1.0)
          .hasSize(1);
      assertThat(m.get("turbofarm_worker_device_memory_used_bytes{device=\"cpu\",}"))
          .as("resident memory of the worker process")
          .isGreaterThan(1e6);
      assertThat(m.get("turbofarm_worker_max_batch")).isEqualTo(worker.status().maxBatchSize());
    } finally {
      finishWarmUp.countDown();
      worker.close();
      t.join(20_000);
    }
  }

  @Test
  void drainFinishesTheBatchInProgressThenLeaves() throws Exception {
    CountDownLatch rendering = new CountDownLatch(1);
    CountDownLatch finishRender = new CountDownLatch(1);
    Pipeline gated = firstJobWaits(rendering, finishRender);
    Worker worker = new Worker(config("drain-test"), () -> gated);
    Thread t = start(worker);
    try (KafkaConsumer<String, byte[]> results = resultsConsumer()) {
      UUID job = produceJob(22, "a red mug");
      assertThat(rendering.await(60, TimeUnit.SECONDS)).as("the job started rendering").isTrue();
      // SIGTERM while the batch renders: close() blocks until the worker has stopped.
      Thread closer = new Thread(worker::close, "sigterm");
      closer.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> worker.status().state() == WorkerState.DRAINING);
      assertThat(t.isAlive()).as("the worker waits for its batch").isTrue();
      finishRender.countDown();
      closer.join(20_000);
      t.join(20_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(worker.status().state()).isEqualTo(WorkerState.STOPPED);
      List<ResultMessage> got = awaitResult(results, job, Duration.ofSeconds(10));
      assertThat(got).as("the batch in progress was finished and published").hasSize(1);
      assertThat(got.get(0).status()).isEqualTo(ResultMessage.Status.SUCCEEDED);
    } finally {
      finishRender.countDown();
    }
  }

  @Test
  void aFailedResultSaysByTheFailuresTypeWhetherARetryMayHelp() throws Exception {
    Pipeline failing =
        new GatedPipeline(
            batch -> {
              String prompt = batch.get(0).prompt();
              if (prompt.equals("fatal")) {
                throw new FatalRenderException("a size this model cannot draw");
              }
              if (prompt.equals("retriable")) {
                throw new RetriableRenderException("the engine failed", null);
              }
            });
    Worker worker = new Worker(config("failure-test"), () -> failing);
    Thread t = start(worker);
    try (KafkaConsumer<String, byte[]> results = resultsConsumer()) {
      UUID fatal = produceJob(31, "fatal");
      UUID retriable = produceJob(32, "retriable");
      Map<UUID, List<ResultMessage>> got =
          awaitResults(results, Set.of(fatal, retriable), Duration.ofSeconds(60));
      ResultMessage f = got.get(fatal).get(0);
      ResultMessage r = got.get(retriable).get(0);
      assertThat(f.status()).isEqualTo(ResultMessage.Status.FAILED);
      assertThat(f.retriable()).isFalse();
      assertThat(f.reason()).contains("a size this model cannot draw");
      assertThat(r.status()).isEqualTo(ResultMessage.Status.FAILED);
      assertThat(r.retriable()).isTrue();
      assertThat(r.reason()).contains("the engine failed");
    } finally {
      worker.close();
      t.join(20_000);
    }
  }

  @Test
  void aWorkerNeverDiesOnARecordAndDeadLettersEachBadOne() throws Exception {
    AtomicInteger badRenders = new AtomicInteger();
    Pipeline counting =
        new GatedPipeline(
            batch -> {
              if (batch.stream().anyMatch(r -> r.width() < 256 || r.prompt().length() > 2000)) {
                badRenders.incrementAndGet();
              }
            });
    Worker worker = new Worker(config("poison-test"), () -> counting);
    Thread t = start(worker);
    String run = UUID.randomUUID().toString();
    byte[] v1 = MessageRules.schemaHeader(JobMessage.SCHEMA);
    JobMessage widthZero =
        new JobMessage(
            JobMessage.SCHEMA,
            UUID.randomUUID(),
            1,
            "t",
            "a red mug",
            "",
            "draft",
            0,
            256,
            2,
            1.0,
            List.of(1L),
            1,
            1,
            null,
            null,
            0);
    JobMessage hugePrompt =
        new JobMessage(
            JobMessage.SCHEMA,
            UUID.randomUUID(),
            1,
            "t",
            "x".repeat(500_000),
            "",
            "draft",
            256,
            256,
            2,
            1.0,
            List.of(1L),
            1,
            1,
            null,
            null,
            0);
    Map<String, byte[]> values = new java.util.LinkedHashMap<>();
    Map<String, byte[]> headers = new HashMap<>();
    values.put(run + "-width0", Json.write(widthZero));
    values.put(run + "-empty", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    values.put(run + "-garbage", new byte[] {0, 1, 2, (byte) 0xff, '{'});
    values.put(run + "-huge", Json.write(hugePrompt));
    values.put(run + "-schema9", Json.write(widthZero).clone());
    headers.put(run + "-schema9", MessageRules.schemaHeader(9));
    values.put(run + "-noheader", Json.write(hugePrompt).clone());
    headers.put(run + "-noheader", null);
    try (KafkaConsumer<String, byte[]> results = resultsConsumer();
        KafkaConsumer<String, byte[]> dlq = consumer(Topics.JOBS_DLQ)) {
      for (Map.Entry<String, byte[]> e : values.entrySet()) {
        produceRaw(
            e.getKey(),
            e.getValue(),
            headers.containsKey(e.getKey()) ? headers.get(e.getKey()) : v1);
      }
      UUID good = produceJob(41, "a red mug after the poison");
      List<ResultMessage> r = awaitResult(results, good, Duration.ofSeconds(60));
      assertThat(r.get(0).status()).isEqualTo(ResultMessage.Status.SUCCEEDED);
      assertThat(t.isAlive()).as("the worker serves on").isTrue();
      assertThat(worker.status().state()).isIn(WorkerState.READY, WorkerState.BUSY);
      assertThat(badRenders.get()).as("no bad record reached the model").isZero();
      Set<String> deadLettered = new java.util.HashSet<>();
      await("every bad record in " + Topics.JOBS_DLQ)
          .pollInSameThread()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> d : dlq.poll(Duration.ofMillis(200))) {
                  if (d.key() != null && d.key().startsWith(run)) {
                    deadLettered.add(d.key());
                  }
                }
                return deadLettered.containsAll(values.keySet());
              });
    } finally {
      worker.close();
      t.join(20_000);
    }
  }

  @Test
  void aJobForAnotherModelFailsForGoodAndIsNeverRendered() throws Exception {
    List<String> rendered = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Pipeline recording = new GatedPipeline(batch -> batch.forEach(r -> rendered.add(r.prompt())));
    Worker worker = new Worker(config("model-test"), () -> recording);
    Thread t = start(worker);
    try (KafkaConsumer<String, byte[]> results = resultsConsumer()) {
      // Two model ids that share a topic name: gated-test@1 and gated-test-1.
      UUID other = produceJob(41, "for the other model", "gated-test-1");
      UUID mine = produceJob(42, "for this model");
      Map<UUID, List<ResultMessage>> got =
          awaitResults(results, Set.of(other, mine), Duration.ofSeconds(60));
      ResultMessage refused = got.get(other).get(0);
      assertThat(refused.status()).isEqualTo(ResultMessage.Status.FAILED);
      assertThat(refused.retriable()).as("the same topic would bring it back").isFalse();
      assertThat(refused.reason()).contains("gated-test-1").contains(GatedPipeline.MODEL);
      assertThat(got.get(mine).get(0).status()).isEqualTo(ResultMessage.Status.SUCCEEDED);
      assertThat(rendered).contains("for this model").doesNotContain("for the other model");
    } finally {
      worker.close();
      t.join(20_000);
    }
  }

  @Test
  void anInteractiveJobRendersRightAfterTheBatchInProgressBeforeQueuedBulkJobs() throws Exception {
    CountDownLatch rendering = new CountDownLatch(1);
    CountDownLatch finishRender = new CountDownLatch(1);
    List<String> rendered = new java.util.concurrent.CopyOnWriteArrayList<>();
    Pipeline gated =
        new GatedPipeline(
            batch -> {
              if (isWarmUp(batch)) {
                return;
              }
              batch.forEach(r -> rendered.add(r.prompt()));
              if (rendering.getCount() > 0) {
                rendering.countDown();
                awaitLatch(finishRender);
              }
            });
    Worker worker = new Worker(config("interactive-test"), () -> gated);
    Thread t = start(worker);
    try (KafkaConsumer<String, byte[]> results = resultsConsumer()) {
      UUID first = produceJob(41, "bulk first");
      assertThat(rendering.await(60, TimeUnit.SECONDS)).as("the first bulk batch renders").isTrue();
      // While it renders: more bulk work, then an interactive job.
      Set<UUID> all = new HashSet<>(Set.of(first));
      for (int i = 0; i < 8; i++) {
        all.add(produceJob(50 + i, "bulk queued"));
      }
      UUID interactive =
          produceJob(
              Topics.interactiveJobsFor(GatedPipeline.MODEL),
              60,
              "interactive",
              GatedPipeline.MODEL,
              10);
      all.add(interactive);
      // Time for the interactive consumer to take its job and wait at the gate.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> worker.status().inFlight().contains(interactive));
      finishRender.countDown();
      awaitResults(results, all, Duration.ofSeconds(60));
      assertThat(rendered.get(0)).isEqualTo("bulk first");
      assertThat(rendered.get(1))
          .as("the first render after the bulk batch in progress (order %s)", rendered)
          .isEqualTo("interactive");
      assertThat(rendered).filteredOn("bulk queued"::equals).hasSize(8);
    } finally {
      finishRender.countDown();
      worker.close();
      t.join(20_000);
    }
  }

  @Test
  void anInteractiveJobRendersBetweenTwoStepsOfTheBulkBatchInProgress() throws Exception {
    CountDownLatch bulkStarted = new CountDownLatch(1);
    CountDownLatch interactiveRendered = new CountDownLatch(1);
    List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    Pipeline stepped =
        new GatedPipeline(
            batch -> {
              if (batch.get(0).prompt().equals("interactive")) {
                order.add("interactive");
                interactiveRendered.countDown();
              }
            },
            (batch, boundary) -> {
              if (!batch.get(0).prompt().equals("bulk long")) {
                return;
              }
              bulkStarted.countDown();
              // Steps of up to 100 ms each, for up to 30 s: a step ends early once the interactive
              // job has rendered, and two more follow it.
              int after = -1;
              for (int step = 1; step <= 300 && after < 2; step++) {
                order.add("bulk step");
                awaitQuietly(interactiveRendered, 100);
                boundary.reached();
                after = order.contains("interactive") ? after + 1 : -1;
              }
              order.add("bulk done");
            });
    Worker worker = new Worker(config("between-steps-test"), () -> stepped);
    Thread t = start(worker);
    try (KafkaConsumer<String, byte[]> results = resultsConsumer()) {
      UUID bulk = produceJob(71, "bulk long");
      assertThat(bulkStarted.await(60, TimeUnit.SECONDS)).as("the bulk batch renders").isTrue();
      UUID interactive =
          produceJob(
              Topics.interactiveJobsFor(GatedPipeline.MODEL),
              72,
              "interactive",
              GatedPipeline.MODEL,
              10);
      awaitResults(results, Set.of(bulk, interactive), Duration.ofSeconds(60));
      assertThat(order.indexOf("interactive"))
          .as("the interactive job renders inside the bulk batch (order %s)", order)
          .isGreaterThan(0)
          .isLessThan(order.indexOf("bulk done"));
    } finally {
      worker.close();
      t.join(20_000);
    }
  }

  @Test
  void aCordonedWorkerHandsBackTheJobsItFetchedAheadAtOnce() throws Exception {
    CountDownLatch rendering = new CountDownLatch(1);
    CountDownLatch finishRender = new CountDownLatch(1);
    Pipeline gated = firstJobWaits(rendering, finishRender);
    Worker first = new Worker(config("cordon-first"), () -> gated);
    Thread t1 = start(first);
    Worker second = null;
    Thread t2 = null;
    try (KafkaConsumer<String, byte[]> results = resultsConsumer()) {
      Set<UUID> all = new HashSet<>();
      for (int i = 0; i < 12; i++) {
        all.add(produceJob(80 + i, "cordon " + i));
      }
      assertThat(rendering.await(60, TimeUnit.SECONDS)).as("a first batch renders").isTrue();
      first.status().control(dev.turbofarm.common.messaging.WorkerCommand.Command.CORDON);
      finishRender.countDown();
      // Another worker takes the rest; the broker's share lock in this test is 30 s, so jobs the
      // cordoned worker kept locked would come back only after it.
      second = new Worker(config("cordon-second"), () -> new GatedPipeline(batch -> {}));
      t2 = start(second);
      awaitResults(results, all, Duration.ofSeconds(20));
    } finally {
      finishRender.countDown();
      first.close();
      t1.join(20_000);
      if (second != null) {
        second.close();
        t2.join(20_000);
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch, long ms) {
    try {
      latch.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(String topic) {
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
    c.subscribe(List.of(topic));
    return c;
  }

  /**
   * A pipeline whose first render after the warm-up (there may be several warm-up renders) counts
   * down {@code rendering} and waits for {@code finishRender}; later renders go straight through.
   */
  private static GatedPipeline firstJobWaits(
      CountDownLatch rendering, CountDownLatch finishRender) {
    return new GatedPipeline(
        batch -> {
          if (!isWarmUp(batch) && rendering.getCount() > 0) {
            rendering.countDown();
            awaitLatch(finishRender);
          }
        });
  }

  private static boolean isWarmUp(List<RenderRequest> batch) {
    return batch.get(0).prompt().equals(Worker.WARM_UP.prompt());
  }

  private static WorkerConfig config(String id) {
    return new WorkerConfig(
        id,
        kafka.bootstrapServers(),
        dev.turbofarm.store.StorageSettings.filesystem(resultRoot),
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

  private static UUID produceJob(long seed, String prompt) throws Exception {
    return produceJob(seed, prompt, GatedPipeline.MODEL);
  }

  /** A bulk job for {@code model}, on the jobs topic of the test pipeline's model. */
  private static UUID produceJob(long seed, String prompt, String model) throws Exception {
    return produceJob(Topics.jobsFor(GatedPipeline.MODEL), seed, prompt, model, 0);
  }

  private static UUID produceJob(String topic, long seed, String prompt, String model, int priority)
      throws Exception {
    UUID id = UUID.randomUUID();
    JobMessage job =
        new JobMessage(
            JobMessage.SCHEMA,
            id,
            1,
            "t",
            prompt,
            "",
            "draft",
            256,
            256,
            2,
            1.0,
            List.of(seed),
            System.currentTimeMillis(),
            System.currentTimeMillis(),
            null,
            model,
            priority);
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      ProducerRecord<String, byte[]> r =
          new ProducerRecord<>(topic, id.toString(), Json.write(job));
      r.headers().add(Topics.SCHEMA_HEADER, MessageRules.schemaHeader(JobMessage.SCHEMA));
      p.send(r).get();
    }
    return id;
  }

  /** Writes raw bytes to the jobs topic, with the given schema header (none when null). */
  private static void produceRaw(String key, byte[] value, byte[] schemaHeader) throws Exception {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      ProducerRecord<String, byte[]> r =
          new ProducerRecord<>(Topics.jobsFor(GatedPipeline.MODEL), key, value);
      if (schemaHeader != null) {
        r.headers().add(Topics.SCHEMA_HEADER, schemaHeader);
      }
      p.send(r).get();
    }
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
    c.subscribe(List.of(Topics.RESULTS, Topics.RESULTS_INTERACTIVE));
    return c;
  }

  /** Waits until results of the job arrive, at most {@code atMost}. */
  private static List<ResultMessage> awaitResult(
      KafkaConsumer<String, byte[]> c, UUID job, Duration atMost) {
    return awaitResults(c, Set.of(job), atMost).get(job);
  }

  /**
   * Waits until results of every one of {@code jobs} arrive, at most {@code atMost}; returns the
   * results seen by then, by job.
   */
  private static Map<UUID, List<ResultMessage>> awaitResults(
      KafkaConsumer<String, byte[]> c, Set<UUID> jobs, Duration atMost) {
    Map<UUID, List<ResultMessage>> seen = new HashMap<>();
    await("results of jobs " + jobs)
        .pollInSameThread()
        .atMost(atMost)
        .until(
            () -> {
              for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                ResultMessage m = Json.read(r.value(), ResultMessage.class);
                if (jobs.contains(m.jobId())) {
                  seen.computeIfAbsent(m.jobId(), k -> new ArrayList<>()).add(m);
                }
              }
              return seen.keySet().containsAll(jobs);
            });
    return seen;
  }

  /** Results of the job in one poll of the results topic. */
  private static List<ResultMessage> poll(KafkaConsumer<String, byte[]> c, UUID job) {
    List<ResultMessage> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
      ResultMessage m = Json.read(r.value(), ResultMessage.class);
      if (m.jobId().equals(job)) {
        out.add(m);
      }
    }
    return out;
  }

  /** {@code GET /metrics} as series (name and labels as printed) to value. */
  private static Map<String, Double> metrics(Worker w) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + w.healthPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> t.startsWith("text/plain"));
    Map<String, Double> out = new java.util.TreeMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
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

  private static void awaitLatch(CountDownLatch l) {
    try {
      l.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The instant pipeline behind a hook that runs before each render, and one that runs as its
   * denoising steps, with their boundaries.
   */
  private static final class GatedPipeline implements Pipeline {
    private final java.util.function.Consumer<List<RenderRequest>> before;
    private final java.util.function.BiConsumer<List<RenderRequest>, StepBoundary> steps;
    private final InstantPipeline inner = new InstantPipeline();

    GatedPipeline(java.util.function.Consumer<List<RenderRequest>> before) {
      this(before, (batch, boundary) -> {});
    }

    GatedPipeline(
        java.util.function.Consumer<List<RenderRequest>> before,
        java.util.function.BiConsumer<List<RenderRequest>, StepBoundary> steps) {
      this.before = before;
      this.steps = steps;
    }

    static final String MODEL = "gated-test@1";

    @Override
    public String modelId() {
      return MODEL;
    }

    @Override
    public List<RenderedImage> render(List<RenderRequest> batch) {
      return render(batch, StepBoundary.NONE);
    }

    @Override
    public List<RenderedImage> render(List<RenderRequest> batch, StepBoundary boundary) {
      before.accept(batch);
      steps.accept(batch, boundary);
      return inner.render(batch);
    }

    @Override
    public void close() {}
  }
}
