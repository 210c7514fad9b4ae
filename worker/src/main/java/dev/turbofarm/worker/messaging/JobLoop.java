package dev.turbofarm.worker.messaging;

import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.worker.WorkerStatus;
import dev.turbofarm.worker.batch.BatchPlanner;
import dev.turbofarm.worker.batch.BatchPlanner.Batch;
import dev.turbofarm.worker.batch.BatchPlanner.ImageTask;
import dev.turbofarm.worker.pipeline.Pipeline;
import dev.turbofarm.worker.pipeline.RenderException;
import dev.turbofarm.worker.pipeline.RenderRequest;
import dev.turbofarm.worker.pipeline.RenderedImage;
import dev.turbofarm.worker.store.ResultStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes jobs from the share group, renders them in compatible batches, publishes one result per
 * image (a failed result says whether a retry may help; the coordinator owns the retries) and only
 * then acknowledges each job: ACCEPT when its results are out, RELEASE when they could not be
 * stored or published, REJECT when the record cannot be decoded. Every job polled is acknowledged
 * one way or another before the next poll.
 */
public final class JobLoop {
  private static final Logger LOG = LoggerFactory.getLogger(JobLoop.class);

  /** How long publishing one poll's results may take before the jobs are released, s. */
  private static final long PUBLISH_TIMEOUT_S = 30;

  private final String workerId;
  private final ShareConsumer<String, byte[]> consumer;
  private final Producer<String, byte[]> producer;
  private final Pipeline pipeline;
  private final ResultStore store;
  private final BatchPlanner planner;
  private final Runnable onTake;

  /** Encodes and publishes a batch's images side by side; daemon threads, one per core up to 4. */
  private final java.util.concurrent.ExecutorService encoders =
      java.util.concurrent.Executors.newFixedThreadPool(
          Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
          r -> {
            Thread t = new Thread(r, "png-encoder");
            t.setDaemon(true);
            return t;
          });

  private final WorkerStatus status;
  private final Duration pollTimeout;
  private final int maxBatchSize;
  private final Duration maxBatchDelay;
  private volatile boolean draining;

  public JobLoop(
      String workerId,
      ShareConsumer<String, byte[]> consumer,
      Producer<String, byte[]> producer,
      Pipeline pipeline,
      ResultStore store,
      int maxBatchSize,
      long memoryBudgetPixels,
      Runnable onTake,
      WorkerStatus status,
      Duration pollTimeout,
      Duration maxBatchDelay) {
    this.workerId = workerId;
    this.consumer = consumer;
    this.producer = producer;
    this.pipeline = pipeline;
    this.store = store;
    this.planner = new BatchPlanner(maxBatchSize, memoryBudgetPixels);
    this.onTake = onTake;
    this.status = status;
    this.pollTimeout = pollTimeout;
    this.maxBatchSize = maxBatchSize;
    this.maxBatchDelay = maxBatchDelay;
  }

  /**
   * Runs until {@link #drain()}; the batch in progress finishes and is acknowledged first.
   *
   * <p>Batching: explicit acknowledgement requires every record of a poll to be acknowledged before
   * the next poll, so a batch forms within one poll. When a poll brought less than a full batch
   * while jobs trickle in, the next poll waits up to {@code maxBatchDelay} so that more jobs gather
   * in the broker; an idle worker's blocking poll returns at the first job, so a lone job is never
   * delayed.
   */
  public void run() {
    consumer.subscribe(List.of(Topics.JOBS));
    boolean partial = false;
    while (!draining) {
      if (partial && !maxBatchDelay.isZero()) {
        sleep(maxBatchDelay);
      }
      ConsumerRecords<String, byte[]> records;
      try {
        records = consumer.poll(pollTimeout);
      } catch (WakeupException e) {
        continue;
      }
      if (records.isEmpty()) {
        partial = false;
        continue;
      }
      // Record count, not image count: decoding twice is not worth it for a pacing decision.
      partial = records.count() < maxBatchSize;
      process(records);
      try {
        consumer.commitSync();
      } catch (RuntimeException e) {
        // The broker redelivers what it did not hear about; results are idempotent.
        LOG.warn("worker {}: acknowledgements not committed: {}", workerId, e.getMessage());
      }
    }
  }

  /**
   * What happened to one poll's jobs: results in flight, and jobs to hand back. Shared with the
   * encoder threads.
   */
  private static final class Outcome {
    final Set<UUID> released = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final Map<UUID, List<Future<RecordMetadata>>> sent =
        new java.util.concurrent.ConcurrentHashMap<>();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Leaves the share group: unacknowledged records go back to the broker at once. */
  public void close() {
    encoders.shutdown();
    consumer.close();
  }

  /** Stops taking jobs; {@link #run()} returns after the batch in progress. */
  public void drain() {
    draining = true;
    consumer.wakeup();
  }

  void process(ConsumerRecords<String, byte[]> records) {
    long pickedUpAt = System.currentTimeMillis();
    Map<UUID, ConsumerRecord<String, byte[]>> recordOf = new LinkedHashMap<>();
    List<JobMessage> jobs = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      JobMessage job;
      try {
        job = Json.read(r.value(), JobMessage.class);
        if (job.jobId() == null || job.seeds().isEmpty()) {
          throw new Json.MalformedMessageException("job id or seeds missing", null);
        }
      } catch (Json.MalformedMessageException e) {
        LOG.error(
            "worker {}: rejecting malformed job record at {}-{} offset {} (it goes to the dead"
                + " letter topic {}): {}",
            workerId,
            r.topic(),
            r.partition(),
            r.offset(),
            Topics.JOBS_DLQ,
            e.getMessage());
        consumer.acknowledge(r, AcknowledgeType.REJECT);
        continue;
      }
      if (recordOf.putIfAbsent(job.jobId(), r) != null) {
        // The same job twice in one poll (a re-dispatch): render once, accept the copy.
        consumer.acknowledge(r, AcknowledgeType.ACCEPT);
        continue;
      }
      jobs.add(job);
      status.take(job.jobId());
    }
    // Tell the coordinator at once which jobs this worker holds: its lease on them starts now.
    onTake.run();
    Outcome outcome = new Outcome();
    status.state(WorkerState.BUSY);
    try {
      for (Batch batch : planner.plan(jobs)) {
        render(batch.images(), outcome);
      }
    } finally {
      status.currentBatch(0);
      status.state(draining ? WorkerState.DRAINING : WorkerState.READY);
    }
    long renderedAt = System.currentTimeMillis();
    for (JobMessage job : jobs) {
      UUID id = job.jobId();
      AcknowledgeType ack =
          outcome.released.contains(id) ? AcknowledgeType.RELEASE : AcknowledgeType.ACCEPT;
      if (ack == AcknowledgeType.ACCEPT
          && !published(id, outcome.sent.getOrDefault(id, List.of()))) {
        ack = AcknowledgeType.RELEASE;
      }
      consumer.acknowledge(recordOf.get(id), ack);
      status.release(id);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "worker {}: {} jobs: rendered and stored in {} ms, results acknowledged by the broker"
              + " {} ms later",
          workerId,
          jobs.size(),
          renderedAt - pickedUpAt,
          System.currentTimeMillis() - renderedAt);
    }
  }

  /**
   * Renders images that may share a batch. A failing batch is split in halves and each half
   * retried, so one poison prompt or an out-of-memory batch costs only itself; a single image that
   * still fails gets a failed result saying whether another attempt may help.
   */
  private void render(List<ImageTask> tasks, Outcome outcome) {
    if (tasks.size() == 1 && planner.pixels(tasks.get(0)) > planner.memoryBudgetPixels()) {
      renderTooLarge(tasks.get(0), outcome);
      return;
    }
    status.currentBatch(tasks.size());
    long startedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    List<RenderedImage> images;
    try {
      images = pipeline.render(tasks.stream().map(ImageTask::request).toList());
    } catch (OutOfMemoryError | RuntimeException e) {
      boolean oom = e instanceof OutOfMemoryError;
      if (tasks.size() > 1) {
        int half = tasks.size() / 2;
        LOG.warn(
            "worker {}: batch of {} images failed ({}); retrying as two halves of {} and {}",
            workerId,
            tasks.size(),
            e.toString(),
            half,
            tasks.size() - half);
        render(tasks.subList(0, half), outcome);
        render(tasks.subList(half, tasks.size()), outcome);
        return;
      }
      ImageTask t = tasks.get(0);
      if (oom) {
        renderTooLarge(t, outcome);
        return;
      }
      boolean retriable = !(e instanceof RenderException re) || re.retriable();
      LOG.error(
          "worker {}: job {} image {} failed to render ({}): {}",
          workerId,
          t.job().jobId(),
          t.index(),
          retriable ? "retriable" : "fatal",
          e.toString());
      fail(t, "render failed on worker " + workerId + ": " + e.getMessage(), retriable, outcome);
      return;
    }
    long renderMs = (System.nanoTime() - start) / 1_000_000;
    status.rendered(tasks.size());
    // PNG encoding costs tens of ms per image and runs on the CPU: the batch's images are encoded
    // and published side by side, not one after another (on a GPU box it would rival the render).
    List<Future<?>> writes = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      ImageTask t = tasks.get(i);
      RenderedImage img = images.get(i);
      writes.add(
          encoders.submit(() -> succeed(t, img, tasks.size(), renderMs, startedAt, null, outcome)));
    }
    for (int i = 0; i < writes.size(); i++) {
      try {
        writes.get(i).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcome.released.add(tasks.get(i).job().jobId());
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.error(
            "worker {}: image {} of job {} not stored or published ({}); releasing the job",
            workerId,
            tasks.get(i).index(),
            tasks.get(i).job().jobId(),
            e.getCause().toString());
        outcome.released.add(tasks.get(i).job().jobId());
      }
    }
  }

  /** An image over this worker's memory budget: its fallback profile if allowed, else fail. */
  private void renderTooLarge(ImageTask t, Outcome outcome) {
    JobMessage.Fallback fb = t.job().fallback();
    String limit =
        t.request().width()
            + "x"
            + t.request().height()
            + " does not fit worker "
            + workerId
            + "'s memory budget of "
            + planner.memoryBudgetPixels()
            + " pixels per batch (--memory-budget-pixels)";
    if (fb != null && (long) fb.width() * fb.height() <= planner.memoryBudgetPixels()) {
      RenderRequest r = t.request();
      RenderRequest smaller =
          new RenderRequest(
              r.prompt(),
              r.negativePrompt(),
              fb.width(),
              fb.height(),
              fb.steps(),
              r.guidance(),
              r.seed());
      LOG.warn(
          "worker {}: job {} image {}: {}; rendering its fallback profile {} ({}x{}) instead",
          workerId,
          t.job().jobId(),
          t.index(),
          limit,
          fb.profile(),
          fb.width(),
          fb.height());
      status.currentBatch(1);
      long startedAt = System.currentTimeMillis();
      long start = System.nanoTime();
      try {
        RenderedImage img = pipeline.render(List.of(smaller)).get(0);
        long renderMs = (System.nanoTime() - start) / 1_000_000;
        status.rendered(1);
        succeed(
            new ImageTask(t.job(), t.index(), smaller),
            img,
            1,
            renderMs,
            startedAt,
            fb.profile(),
            outcome);
      } catch (RuntimeException | OutOfMemoryError e) {
        fail(t, limit + "; its fallback " + fb.profile() + " failed too: " + e, false, outcome);
      }
      return;
    }
    LOG.error(
        "worker {}: job {} image {}: {}; failing it", workerId, t.job().jobId(), t.index(), limit);
    fail(t, limit + "; use a smaller size or allow a fallback profile", false, outcome);
  }

  private void succeed(
      ImageTask t,
      RenderedImage img,
      int batchSize,
      long renderMs,
      long renderStartedAt,
      String fallbackProfile,
      Outcome outcome) {
    Path path;
    try {
      path = store.write(t.job().jobId(), t.index(), img.image());
    } catch (RuntimeException e) {
      LOG.error(
          "worker {}: cannot store image {} of job {}: {}; releasing the job for another attempt",
          workerId,
          t.index(),
          t.job().jobId(),
          e.getMessage());
      outcome.released.add(t.job().jobId());
      return;
    }
    publish(
        result(
            t,
            ResultMessage.Status.SUCCEEDED,
            null,
            path.toString(),
            batchSize,
            // Waiting, in the queue and behind earlier batches of the same poll, until its render.
            Math.max(0, renderStartedAt - t.job().queuedAtMs()),
            renderMs,
            img,
            false,
            fallbackProfile),
        outcome.sent);
  }

  private void fail(ImageTask t, String reason, boolean retriable, Outcome outcome) {
    publish(
        result(t, ResultMessage.Status.FAILED, reason, null, 1, 0, 0, null, retriable, null),
        outcome.sent);
  }

  /** One image's result: the settings come from its task, the outcome from the caller. */
  private ResultMessage result(
      ImageTask t,
      ResultMessage.Status status,
      String reason,
      String path,
      int batchSize,
      long queueWaitMs,
      long renderMs,
      RenderedImage img,
      boolean retriable,
      String fallbackProfile) {
    RenderRequest r = t.request();
    return new ResultMessage(
        ResultMessage.SCHEMA,
        t.job().jobId(),
        t.job().attempt(),
        t.index(),
        status,
        reason,
        path,
        r.seed(),
        r.width(),
        r.height(),
        r.steps(),
        r.guidance(),
        pipeline.modelId(),
        workerId,
        batchSize,
        queueWaitMs,
        renderMs,
        img == null ? null : img.quality(),
        img == null ? null : img.sharpness(),
        System.currentTimeMillis(),
        retriable,
        fallbackProfile);
  }

  private void publish(ResultMessage result, Map<UUID, List<Future<RecordMetadata>>> sent) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.RESULTS, result.jobId().toString(), Json.write(result));
    record.headers().add(Topics.SCHEMA_HEADER, new byte[] {(byte) ResultMessage.SCHEMA});
    sent.computeIfAbsent(
            result.jobId(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(producer.send(record));
  }

  private boolean published(UUID jobId, List<Future<RecordMetadata>> futures) {
    try {
      for (Future<RecordMetadata> f : futures) {
        f.get(PUBLISH_TIMEOUT_S, TimeUnit.SECONDS);
      }
      return true;
    } catch (Exception e) {
      LOG.error(
          "worker {}: results of job {} not published ({}); releasing it for another attempt",
          workerId,
          jobId,
          e.getMessage());
      return false;
    }
  }
}
