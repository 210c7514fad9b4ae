package dev.turbofarm.coordinator.metrics.service;

import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import dev.turbofarm.coordinator.metrics.persistence.FarmGaugeRepository;
import dev.turbofarm.coordinator.metrics.persistence.FarmGaugeRepository.BacklogRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The farm's own metrics on {@code /q/metrics} (every name and label: docs/operations.md). Gauges
 * that need PostgreSQL or Kafka (queue depth, workers by state, share-group lag, desired workers)
 * are refreshed every {@code turbofarm.metrics.refresh} by one grouped query each, so a scrape
 * never touches the database; the histograms are fed by the result recorder.
 */
@ApplicationScoped
public class FarmMetrics {
  private static final Logger LOG = Logger.getLogger(FarmMetrics.class);

  /** Unfinished jobs by team, priority and state: {@code turbofarm_queue_depth}. */
  public static final String QUEUE_DEPTH = "turbofarm.queue.depth";

  /** Workers by state: {@code turbofarm_workers}. */
  public static final String WORKERS = "turbofarm.workers";

  /** Share-group lag of the jobs topics: {@code turbofarm_kafka_share_lag}. */
  public static final String SHARE_LAG = "turbofarm.kafka.share.lag";

  /** The autoscaling signal: {@code turbofarm_desired_workers}. */
  public static final String DESIRED_WORKERS = "turbofarm.desired.workers";

  /** {@link #DESIRED_WORKERS} as Prometheus names it; the KEDA ScaledObject queries this. */
  public static final String DESIRED_WORKERS_PROMETHEUS = "turbofarm_desired_workers";

  /** Sampler seconds per image by model and size: {@code turbofarm_image_render_seconds}. */
  public static final String IMAGE_RENDER = "turbofarm.image.render";

  /** From acceptance to the start of the image's render: {@code turbofarm_queue_wait_seconds}. */
  public static final String QUEUE_WAIT = "turbofarm.queue.wait";

  /** The batch each image was rendered in: {@code turbofarm_batch_size_images}. */
  public static final String BATCH_SIZE = "turbofarm.batch.size";

  /** Jobs completed with all their images: {@code turbofarm_jobs_succeeded_total}. */
  public static final String JOBS_SUCCEEDED = "turbofarm.jobs.succeeded";

  /** Webhook calls by outcome: {@code turbofarm_webhook_deliveries_total}. */
  public static final String WEBHOOK_DELIVERIES = "turbofarm.webhook.deliveries";

  private static final Duration[] RENDER_BUCKETS =
      seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120);
  private static final Duration[] WAIT_BUCKETS =
      seconds(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400);
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64};

  private final MeterRegistry registry;
  private final FarmGaugeRepository gauges;
  private final KafkaClients kafka;
  private final FarmConfig config;
  private final Throughput throughput;
  private final MultiGauge queueDepth;
  private final MultiGauge workers;
  private final MultiGauge shareLag;
  private final AtomicLong desiredWorkers;
  private final Counter succeeded;
  private final Map<String, Counter> webhookOutcomes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile CapacityReport lastCapacity;
  private Admin admin;

  FarmMetrics(
      MeterRegistry registry, FarmGaugeRepository gauges, KafkaClients kafka, FarmConfig config) {
    this.registry = registry;
    this.gauges = gauges;
    this.kafka = kafka;
    this.config = config;
    this.throughput = new Throughput(config.capacity().throughputWindow().toMillis());
    this.queueDepth =
        MultiGauge.builder(QUEUE_DEPTH)
            .description("Unfinished jobs by team, priority and state (QUEUED, DISPATCHED)")
            .register(registry);
    this.workers =
        MultiGauge.builder(WORKERS)
            .description("Workers heard from within a day by state; LOST: silent past the lease")
            .register(registry);
    this.shareLag =
        MultiGauge.builder(SHARE_LAG)
            .description("Records of a jobs topic not yet acknowledged by its share group")
            .register(registry);
    this.desiredWorkers = new AtomicLong(config.capacity().minWorkers());
    registry.gauge(DESIRED_WORKERS, Tags.empty(), desiredWorkers, AtomicLong::doubleValue);
    this.succeeded = registry.counter(JOBS_SUCCEEDED);
  }

  private static Duration[] seconds(double... s) {
    Duration[] out = new Duration[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = Duration.ofNanos((long) (s[i] * 1e9));
    }
    return out;
  }

  /** Counts recorded images: render time, queue wait, batch size, and the measured throughput. */
  public void rendered(Collection<ResultMessage> images) {
    long now = System.currentTimeMillis();
    for (ResultMessage m : images) {
      String model = m.modelId() == null ? "unknown" : m.modelId();
      String size = m.width() + "x" + m.height();
      int batch = Math.max(1, m.batchSize());
      Timer.builder(IMAGE_RENDER)
          .description(
              "Sampler time per image: its batch's wall time divided by the batch's images")
          .tags("model", model, "size", size)
          .serviceLevelObjectives(RENDER_BUCKETS)
          .register(registry)
          .record(Math.max(0, m.renderMs()) * 1000L / batch, TimeUnit.MICROSECONDS);
      Timer.builder(QUEUE_WAIT)
          .description("From a job's acceptance to the start of its image's render")
          .tags("model", model)
          .serviceLevelObjectives(WAIT_BUCKETS)
          .register(registry)
          .record(Math.max(0, m.queueWaitMs()), TimeUnit.MILLISECONDS);
      DistributionSummary.builder(BATCH_SIZE)
          .description("Images in the sampler batch each recorded image was rendered in")
          .baseUnit("images")
          .tags("model", model)
          .serviceLevelObjectives(BATCH_BUCKETS)
          .register(registry)
          .record(batch);
      throughput.add(now, m.width(), m.height(), m.steps(), m.renderMs(), batch);
    }
  }

  /** Counts jobs that completed with all their images. */
  public void succeeded(int jobs) {
    succeeded.increment(jobs);
  }

  /** Counts one webhook call by its outcome (delivered, http_error, timed_out, ...). */
  public void webhook(String outcome) {
    webhookOutcomes
        .computeIfAbsent(
            outcome,
            o ->
                Counter.builder(WEBHOOK_DELIVERIES)
                    .description("Batch webhook calls by outcome")
                    .tag("outcome", o)
                    .register(registry))
        .increment();
  }

  /** Refreshes the gauges read from PostgreSQL and Kafka; a failure keeps the last values. */
  @Scheduled(
      identity = "turbofarm-metrics-refresh",
      // The default repeats FarmConfig's: the scheduler resolves the key before the mapping.
      every = "${turbofarm.metrics.refresh:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      List<BacklogRow> backlog = gauges.backlog();
      Map<Tags, Long> depth = new LinkedHashMap<>();
      for (BacklogRow r : backlog) {
        depth.merge(
            Tags.of(
                "team", r.team(), "priority", Integer.toString(r.priority()), "state", r.state()),
            r.jobs(),
            Long::sum);
      }
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      depth.forEach((tags, n) -> rows.add(MultiGauge.Row.of(tags, n)));
      queueDepth.register(rows, true);
      CapacityReport plan = plan(backlog);
      lastCapacity = plan;
      desiredWorkers.set(plan.desiredWorkers());

      Map<String, Long> byState = new LinkedHashMap<>();
      for (var s : dev.turbofarm.common.messaging.Heartbeat.WorkerState.values()) {
        byState.put(s.name(), 0L);
      }
      byState.put("LOST", 0L);
      for (String control : dev.turbofarm.common.messaging.WorkerCommand.APPLIED) {
        byState.put(control, 0L);
      }
      for (var c : gauges.workersByState(config.leases().workerLease().toMillis())) {
        byState.merge(c.state(), c.workers(), Long::sum);
      }
      List<MultiGauge.Row<?>> workerRows = new ArrayList<>();
      byState.forEach((state, n) -> workerRows.add(MultiGauge.Row.of(Tags.of("state", state), n)));
      workers.register(workerRows, true);
    } catch (RuntimeException e) {
      LOG.warnf(
          "refreshing the queue and worker gauges failed (%s); they keep their last values until"
              + " the next pass in %d ms. Check PostgreSQL",
          e.getMessage(), config.metrics().refresh().toMillis());
    }
    refreshShareLag();
  }

  /** The capacity signal computed now from the current backlog. */
  public CapacityReport capacity() {
    CapacityReport plan = plan(gauges.backlog());
    lastCapacity = plan;
    desiredWorkers.set(plan.desiredWorkers());
    return plan;
  }

  /** The latest capacity signal the refresher computed; null before its first pass. */
  public CapacityReport lastCapacity() {
    return lastCapacity;
  }

  private CapacityReport plan(List<BacklogRow> backlog) {
    FarmConfig.Capacity c = config.capacity();
    Map<Throughput.Size, Double> rates = throughput.rates(System.currentTimeMillis());
    Double overall = rates.get(null);
    Map<Throughput.Size, long[]> jobs = new LinkedHashMap<>();
    Map<Throughput.Size, Double> work = new HashMap<>();
    long totalJobs = 0;
    double totalWork = 0;
    for (BacklogRow r : backlog) {
      Throughput.Size size = new Throughput.Size(r.width(), r.height());
      jobs.computeIfAbsent(size, k -> new long[1])[0] += r.jobs();
      work.merge(size, r.pixelSteps(), Double::sum);
      totalJobs += r.jobs();
      totalWork += r.pixelSteps();
    }
    List<CapacityPlan.Demand> demands = new ArrayList<>();
    List<CapacityReport.SizeDemand> sizes = new ArrayList<>();
    for (Map.Entry<Throughput.Size, long[]> e : jobs.entrySet()) {
      Throughput.Size size = e.getKey();
      Double measured = rates.get(size);
      String source = measured != null ? "size" : overall != null ? "overall" : "default";
      double rate =
          measured != null ? measured : overall != null ? overall : c.defaultPixelStepsPerSecond();
      CapacityPlan.Demand d = new CapacityPlan.Demand(work.get(size), rate);
      demands.add(d);
      sizes.add(
          new CapacityReport.SizeDemand(
              size.width(),
              size.height(),
              e.getValue()[0],
              d.pixelSteps(),
              rate,
              source,
              d.workerSeconds()));
    }
    double drain = c.targetDrain().toMillis() / 1000.0;
    long unbounded = CapacityPlan.unbounded(demands, drain);
    long desired = CapacityPlan.desired(demands, drain, c.minWorkers(), c.maxWorkers());
    return new CapacityReport(
        desired,
        unbounded,
        c.minWorkers(),
        c.maxWorkers(),
        drain,
        totalJobs,
        totalWork,
        overall,
        c.defaultPixelStepsPerSecond(),
        sizes,
        Instant.now());
  }

  /**
   * Reads the lag of the workers' share groups per jobs topic through the Admin API (KIP-1226:
   * {@link SharePartitionOffsetInfo#lag()}); a group that does not exist yet has no rows.
   */
  private void refreshShareLag() {
    try {
      Admin a = admin();
      Map<String, ListShareGroupOffsetsSpec> specs = new LinkedHashMap<>();
      specs.put(Topics.WORKER_SHARE_GROUP, new ListShareGroupOffsetsSpec());
      specs.put(Topics.WORKER_INTERACTIVE_SHARE_GROUP, new ListShareGroupOffsetsSpec());
      var result = a.listShareGroupOffsets(specs);
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      for (String group : specs.keySet()) {
        Map<TopicPartition, SharePartitionOffsetInfo> offsets;
        try {
          offsets =
              result
                  .partitionsToOffsetInfo(group)
                  .get(config.metrics().kafkaTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          LOG.debugf("no share-group offsets for %s yet: %s", group, e.getCause());
          continue;
        }
        Map<String, Long> byTopic = new LinkedHashMap<>();
        for (var e : offsets.entrySet()) {
          if (e.getValue() != null && e.getValue().lag().isPresent()) {
            byTopic.merge(e.getKey().topic(), e.getValue().lag().get(), Long::sum);
          }
        }
        byTopic.forEach(
            (topic, lag) ->
                rows.add(MultiGauge.Row.of(Tags.of("group", group, "topic", topic), lag)));
      }
      shareLag.register(rows, true);
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      LOG.debugf("reading share-group lag failed: %s; kept the last values", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized Admin admin() {
    if (admin == null) {
      admin = kafka.admin();
    }
    return admin;
  }

  synchronized void close(@Observes ShutdownEvent ev) {
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
      admin = null;
    }
  }
}
