package dev.turbofarm.worker.sim;

import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.common.messaging.KafkaSettings;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.worker.WorkerStatus;
import dev.turbofarm.worker.health.HealthServer;
import dev.turbofarm.worker.health.WorkerMetrics;
import dev.turbofarm.worker.messaging.HeartbeatSender;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIMULATION ONLY, never the default: many virtual workers in one process, for capacity tests of
 * the farm's own path (dispatch, Kafka, result recording) at hundreds of workers on one machine.
 * Every virtual worker is a worker to the coordinator: its own id, its own heartbeats (periodic and
 * on taking jobs, naming the jobs it holds, so leases work as with real workers), its own batches
 * and results. What is simulated is only the render: a batch "takes" a time drawn from {@link
 * RenderTime} (a timer, no CPU), no image is made and no PNG is written; results carry the model id
 * {@link #MODEL_ID} and a {@code simulated/...} key instead of a file.
 *
 * <p>The virtual workers share {@link SimulationConfig#consumers()} share consumers of bulk jobs
 * ({@link SimulatedLane}), each serving an equal slice of them, and one of interactive jobs:
 * hundreds of share consumers would cost the broker and the two cores more than the coordinator
 * path under test.
 */
public final class SimulatedWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedWorkers.class);

  /** What results and heartbeats carry as the model: says it is no model at all. */
  public static final String MODEL_ID = "simulated@1 (capacity tests only, not a model)";

  /** Render-completion and heartbeat threads shared by every virtual worker. */
  private static final int TIMER_THREADS = 2;

  private final SimulationConfig config;

  /** The process as a whole, for the health endpoint: ready once every virtual worker is. */
  private final WorkerStatus process = new WorkerStatus();

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<VirtualWorker> workers = new ArrayList<>();
  private final List<SimulatedLane> lanes = new ArrayList<>();
  private HealthServer health;
  private WorkerMetrics metrics;
  private KafkaProducer<String, byte[]> producer;
  private ScheduledExecutorService timer;

  public SimulatedWorkers(SimulationConfig config) {
    this.config = config;
    process.modelId(MODEL_ID);
    process.maxBatchSize(config.maxBatchSize());
  }

  /** One virtual worker: its status and its heartbeat stream. */
  record VirtualWorker(String id, WorkerStatus status, HeartbeatSender heartbeats) {}

  public int healthPort() {
    return health.port();
  }

  /** The virtual workers' ids, in order. */
  public List<String> workerIds() {
    return workers.stream().map(VirtualWorker::id).toList();
  }

  /** Runs on the calling thread until {@link #close()}. */
  public void run() throws IOException {
    try {
      metrics = new WorkerMetrics(process);
      health = new HealthServer(config.healthPort(), process, metrics);
      producer = new KafkaProducer<>(producerConfig());
      timer =
          Executors.newScheduledThreadPool(
              TIMER_THREADS,
              r -> {
                Thread t = new Thread(r, "sim-timer");
                t.setDaemon(true);
                return t;
              });
      long interval = config.heartbeatInterval().toMillis();
      for (int i = 1; i <= config.workers(); i++) {
        String id = config.workerId(i);
        WorkerStatus s = new WorkerStatus();
        s.modelId(MODEL_ID);
        s.maxBatchSize(config.maxBatchSize());
        s.state(WorkerState.READY);
        HeartbeatSender hb = new HeartbeatSender(id, s, producer, timer);
        // Spread the virtual workers' heartbeats over the interval instead of 200 at once.
        hb.start(
            config.heartbeatInterval(), Duration.ofMillis(interval * (i - 1) / config.workers()));
        workers.add(new VirtualWorker(id, s, hb));
      }
      for (int lane = 0; lane < config.consumers(); lane++) {
        List<VirtualWorker> slice = new ArrayList<>();
        for (int i = lane; i < workers.size(); i += config.consumers()) {
          slice.add(workers.get(i));
        }
        lanes.add(
            new SimulatedLane(
                "sim-lane-" + (lane + 1),
                Topics.jobsFor(MODEL_ID),
                Topics.WORKER_SHARE_GROUP,
                config,
                slice,
                producer,
                timer,
                config.seed() + lane));
      }
      lanes.add(
          new SimulatedLane(
              "sim-interactive",
              Topics.interactiveJobsFor(MODEL_ID),
              Topics.WORKER_INTERACTIVE_SHARE_GROUP,
              config,
              workers,
              producer,
              timer,
              config.seed() - 1));
      List<Thread> threads = new ArrayList<>();
      for (SimulatedLane lane : lanes) {
        Thread t = new Thread(lane, lane.name());
        t.start();
        threads.add(t);
      }
      process.state(WorkerState.READY);
      LOG.info(
          "SIMULATION: {} virtual workers ({} .. {}) READY on {} share consumer(s); render time {}"
              + " per batch, max batch {}; no model, no images: for capacity tests only",
          workers.size(),
          config.workerId(1),
          config.workerId(config.workers()),
          lanes.size(),
          config.renderTime().describe(),
          config.maxBatchSize());
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      shutdown();
      stopped.countDown();
    }
  }

  private void shutdown() {
    process.state(WorkerState.STOPPED);
    for (VirtualWorker w : workers) {
      w.status().state(WorkerState.STOPPED);
      w.heartbeats().close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (health != null) {
      health.close();
    }
    LOG.info("SIMULATION: {} virtual workers stopped", workers.size());
  }

  /**
   * Drains: every lane finishes and acknowledges what it holds, takes nothing more, then the
   * process stops; waits at most {@code timeout}.
   *
   * @return whether it stopped in time
   */
  public boolean drain(Duration timeout) {
    process.state(WorkerState.DRAINING);
    workers.forEach(w -> w.status().state(WorkerState.DRAINING));
    lanes.forEach(SimulatedLane::drain);
    try {
      return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    drain(Duration.ofSeconds(30));
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> p = new HashMap<>(KafkaSettings.producerDefaults());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.idPrefix() + "-sim");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return p;
  }
}
