package dev.turbofarm.worker;

import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.common.messaging.KafkaSettings;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.store.ResultStore;
import dev.turbofarm.store.ResultStores;
import dev.turbofarm.store.image.ImageWriter;
import dev.turbofarm.worker.batch.RenderGate;
import dev.turbofarm.worker.health.HealthServer;
import dev.turbofarm.worker.health.WorkerMetrics;
import dev.turbofarm.worker.messaging.ControlListener;
import dev.turbofarm.worker.messaging.HeartbeatSender;
import dev.turbofarm.worker.messaging.JobLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker process: loads the model, renders a warm-up image, and only then joins the share group
 * and takes jobs. {@link #close()} drains: no new jobs, the batch in progress finishes and is
 * acknowledged, then everything is released.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  /** The warm-up render: the draft profile's size and steps, the commonest job. */
  static final RenderRequest WARM_UP =
      new RenderRequest("a red mug on a white background, studio photo", "", 512, 512, 10, 6.0, 0);

  /** Renders in a row that must bring no new best before the warm-up counts as settled. */
  static final int WARM_UP_PATIENCE = 3;

  /** Most warm-up renders before taking jobs anyway. */
  private static final int MAX_WARM_UPS = 15;

  /** A new best must be this much faster than the old one to count, a fraction. */
  private static final double SETTLED_WITHIN = 0.05;

  private final WorkerConfig config;
  private final Supplier<Pipeline> pipelineFactory;
  private final WorkerStatus status = new WorkerStatus();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private HealthServer health;
  private WorkerMetrics metrics;
  private KafkaProducer<String, byte[]> producer;
  private HeartbeatSender heartbeats;
  private ControlListener control;
  private Pipeline pipeline;
  private ResultStore store;
  private volatile JobLoop loop;
  private volatile JobLoop interactiveLoop;
  private volatile Thread interactiveThread;
  private volatile boolean closing;

  public Worker(WorkerConfig config, Supplier<Pipeline> pipelineFactory) {
    this.config = config;
    this.pipelineFactory = pipelineFactory;
  }

  public WorkerStatus status() {
    return status;
  }

  public int healthPort() {
    return health.port();
  }

  /** Runs the worker on the calling thread until {@link #close()}. */
  public void run() throws IOException {
    try {
      metrics = new WorkerMetrics(status);
      health = new HealthServer(config.healthPort(), status, metrics);
      // Before the model loads: a store that cannot be reached or written stops the worker at once.
      store = ResultStores.open(config.storage());
      LOG.info(
          "worker {}: results go to the {} store {}",
          config.workerId(),
          store.kind(),
          store.describe());
      producer = new KafkaProducer<>(producerConfig());
      heartbeats = new HeartbeatSender(config.workerId(), status, producer);
      status.memoryBudgetPixels(
          config.memoryBudgetPixels() > 0 ? config.memoryBudgetPixels() : null);
      heartbeats.start(config.heartbeatInterval());
      Map<String, Object> controlKafka = new HashMap<>(config.kafkaSecurity());
      controlKafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
      control = new ControlListener(config.workerId(), controlKafka, status, heartbeats::sendNow);
      control.start();
      LOG.info(
          "worker {} starting: loading the '{}' pipeline (health on port {})",
          config.workerId(),
          config.pipeline(),
          health.port());
      long t0 = System.nanoTime();
      pipeline = pipelineFactory.get();
      status.modelId(pipeline.modelId());
      int maxBatch =
          config.maxBatchSize() > 0 ? config.maxBatchSize() : pipeline.recommendedMaxBatch();
      status.maxBatchSize(maxBatch);
      long loadMs = (System.nanoTime() - t0) / 1_000_000;
      status.state(WorkerState.WARMING);
      heartbeats.sendNow();
      long t1 = System.nanoTime();
      int warmUps = warmUp(pipeline);
      // Empty the heap of loading and warm-up garbage now, so that the next collection falls a few
      // hundred MB of allocation later, not into the first jobs (a young GC with a concurrent
      // mark cycle landed on them in -Xlog:gc). The farm runs workers with -Xms = -Xmx, so this
      // full collection does not shrink the heap.
      System.gc();
      long warmMs = (System.nanoTime() - t1) / 1_000_000;
      if (closing) {
        return;
      }
      String jobsTopic = Topics.jobsFor(pipeline.modelId());
      String interactiveTopic = Topics.interactiveJobsFor(pipeline.modelId());
      RenderGate gate = new RenderGate();
      ImageWriter images = new ImageWriter(store);
      loop =
          new JobLoop(
              config.workerId(),
              jobsTopic,
              gate,
              new KafkaShareConsumer<>(consumerConfig(Topics.WORKER_SHARE_GROUP, maxBatch)),
              producer,
              pipeline,
              images,
              maxBatch,
              config.memoryBudgetPixels(),
              heartbeats::sendNow,
              status,
              config.pollTimeout(),
              config.maxBatchDelay());
      // Interactive jobs on a consumer and thread of their own: its blocking poll returns as soon
      // as one arrives, and the gate lets its batch render right after the batch in progress.
      interactiveLoop =
          new JobLoop(
              config.workerId(),
              interactiveTopic,
              gate,
              new KafkaShareConsumer<>(
                  consumerConfig(Topics.WORKER_INTERACTIVE_SHARE_GROUP, maxBatch)),
              producer,
              pipeline,
              images,
              maxBatch,
              config.memoryBudgetPixels(),
              heartbeats::sendNow,
              status,
              config.pollTimeout(),
              Duration.ZERO);
      interactiveThread = new Thread(interactiveLoop::run, "interactive-jobs");
      status.state(WorkerState.READY);
      heartbeats.sendNow();
      LOG.info(
          "worker {} READY: model {} loaded in {} ms, {} warm-up renders in {} ms; taking jobs"
              + " from {}",
          config.workerId(),
          pipeline.modelId(),
          loadMs,
          warmUps,
          warmMs,
          jobsTopic + " and " + interactiveTopic);
      interactiveThread.start();
      loop.run();
    } finally {
      shutdown();
      stopped.countDown();
    }
  }

  /**
   * Renders the warm-up image until {@link #WARM_UP_PATIENCE} renders in a row bring no new best
   * ({@link #SETTLED_WITHIN} faster than the best before them), at most {@link #MAX_WARM_UPS}: the
   * first renders pay for lazy initialisation in libtorch and the JIT, and a job must not. A
   * patience rather than "one render no faster than the last" because on a shared machine one slow
   * render (another process on the core) used to end the warm-up while still cold.
   */
  private int warmUp(Pipeline p) {
    List<Long> times = new java.util.ArrayList<>();
    for (int i = 1; i <= MAX_WARM_UPS; i++) {
      long t = System.nanoTime();
      p.render(List.of(WARM_UP));
      long ms = (System.nanoTime() - t) / 1_000_000;
      times.add(ms);
      LOG.info("worker {}: warm-up render {} took {} ms", config.workerId(), i, ms);
      if (closing || warmedUp(times)) {
        return i;
      }
    }
    return MAX_WARM_UPS;
  }

  /** No new best in the last {@link #WARM_UP_PATIENCE} renders. */
  static boolean warmedUp(List<Long> times) {
    int n = times.size();
    if (n <= WARM_UP_PATIENCE) {
      return false;
    }
    long bestBefore =
        times.subList(0, n - WARM_UP_PATIENCE).stream()
            .mapToLong(Long::longValue)
            .min()
            .orElseThrow();
    long bestSince =
        times.subList(n - WARM_UP_PATIENCE, n).stream()
            .mapToLong(Long::longValue)
            .min()
            .orElseThrow();
    return bestSince >= bestBefore * (1 - SETTLED_WITHIN);
  }

  private void shutdown() {
    status.state(WorkerState.STOPPED);
    if (interactiveLoop != null) {
      interactiveLoop.drain();
      Thread t = interactiveThread;
      if (t != null && t.isAlive()) {
        try {
          t.join(config.drainTimeout().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      interactiveLoop.close();
    }
    if (loop != null) {
      loop.close();
    }
    if (control != null) {
      control.close();
    }
    if (heartbeats != null) {
      heartbeats.close();
    }
    if (producer != null) {
      producer.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (store != null) {
      store.close();
    }
    if (health != null) {
      health.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    LOG.info("worker {} stopped", config.workerId());
  }

  /** Drains and waits until the worker has stopped (bounded by the drain timeout). */
  @Override
  public void close() {
    drain();
  }

  /**
   * Drains and waits until the worker has stopped, at most the drain timeout.
   *
   * @return whether it stopped in time
   */
  public boolean drain() {
    closing = true;
    status.state(WorkerState.DRAINING);
    LOG.info("worker {} draining: finishing the batch in progress", config.workerId());
    JobLoop l = loop;
    if (l != null) {
      l.drain();
    }
    JobLoop i = interactiveLoop;
    if (i != null) {
      i.drain();
    }
    try {
      if (!stopped.await(
          config.drainTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "worker {}: batch still running after {} s; leaving (the broker redelivers its jobs)",
            config.workerId(),
            config.drainTimeout().toSeconds());
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The farm's shared producer defaults ({@link KafkaSettings}) plus this worker's identity. */
  private Map<String, Object> producerConfig() {
    Map<String, Object> p = new HashMap<>(KafkaSettings.producerDefaults());
    p.putAll(config.kafkaSecurity());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.workerId());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return p;
  }

  private Map<String, Object> consumerConfig(String group, int maxBatch) {
    Map<String, Object> c = new HashMap<>(config.kafkaSecurity());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        config.workerId() + (group.equals(Topics.WORKER_SHARE_GROUP) ? "" : "-interactive"));
    c.put("share.acknowledgement.mode", "explicit");
    // A poll brings at most one batch worth of jobs, not the whole queue: a worker holds no more
    // than it renders next, so the rest stays for the other workers (record_limit makes
    // max.poll.records a hard cap; the default lets a poll round up to the broker's batches).
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxBatch);
    c.put("share.acquire.mode", "record_limit");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }
}
