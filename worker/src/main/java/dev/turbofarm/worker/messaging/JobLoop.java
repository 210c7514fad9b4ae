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
import java.util.HashMap;
import java.util.HashSet;
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
 * image and only then acknowledges each job: ACCEPT when its results are out, RELEASE when a
 * retriable failure means another attempt may succeed, REJECT when the record is poison. Every job
 * polled is acknowledged one way or another before the next poll.
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
      WorkerStatus status,
      Duration pollTimeout,
      Duration maxBatchDelay) {
    this.workerId = workerId;
    this.consumer = consumer;
    this.producer = producer;
    this.pipeline = pipeline;
    this.store = store;
    this.planner = new BatchPlanner(maxBatchSize);
    this.status = status;
    this.pollTimeout = pollTimeout;
    this.maxBatchSize = maxBatchSize;
    this.maxBatchDelay = maxBatchDelay;
  }

  /**
   * Runs until {@link #drain()}; the batch in progress finishes and is acknowledged first.
   *
   * <p>Batching: explicit acknowledgement requires every record of a poll to be acknowledged
   * before the next poll, so a batch forms within one poll. When a poll brought less than a full
   * batch while jobs trickle in, the next poll waits up to {@code maxBatchDelay} so that more
   * jobs gather in the broker; an idle worker's blocking poll returns at the first job, so a
   * lone job is never delayed.
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
      partial = images(records) < maxBatchSize;
      process(records);
      try {
        consumer.commitSync();
      } catch (RuntimeException e) {
        // The broker redelivers what it did not hear about; results are idempotent.
        LOG.warn("worker {}: acknowledgements not committed: {}", workerId, e.getMessage());
      }
    }
  }

  private static int images(ConsumerRecords<String, byte[]> records) {
    // Estimated from the record count: decoding twice is not worth it for a pacing decision.
    return records.count();
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
            "worker {}: rejecting malformed job record at {}-{} offset {}: {}",
            workerId, r.topic(), r.partition(), r.offset(), e.getMessage());
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
    Set<UUID> released = new HashSet<>();
    Map<UUID, List<Future<RecordMetadata>>> sent = new HashMap<>();
    status.state(WorkerState.BUSY);
    try {
      for (Batch batch : planner.plan(jobs)) {
        renderBatch(batch, pickedUpAt, released, sent);
      }
    } finally {
      status.currentBatch(0);
      status.state(draining ? WorkerState.DRAINING : WorkerState.READY);
    }
    for (JobMessage job : jobs) {
      UUID id = job.jobId();
      AcknowledgeType ack = released.contains(id) ? AcknowledgeType.RELEASE : AcknowledgeType.ACCEPT;
      if (ack == AcknowledgeType.ACCEPT && !published(id, sent.getOrDefault(id, List.of()))) {
        ack = AcknowledgeType.RELEASE;
      }
      consumer.acknowledge(recordOf.get(id), ack);
      status.release(id);
    }
  }

  private void renderBatch(
      Batch batch,
      long pickedUpAt,
      Set<UUID> released,
      Map<UUID, List<Future<RecordMetadata>>> sent) {
    List<ImageTask> tasks = new ArrayList<>();
    for (ImageTask t : batch.images()) {
      if (!released.contains(t.job().jobId())) {
        tasks.add(t);
      }
    }
    if (tasks.isEmpty()) {
      return;
    }
    status.currentBatch(tasks.size());
    List<RenderRequest> requests = tasks.stream().map(ImageTask::request).toList();
    long start = System.nanoTime();
    List<RenderedImage> images;
    try {
      images = pipeline.render(requests);
    } catch (RenderException e) {
      handleFailure(tasks, e.getMessage(), e.retriable(), e, released, sent);
      return;
    } catch (RuntimeException | OutOfMemoryError e) {
      // Unknown failures might be transient (memory pressure): let another attempt try.
      handleFailure(tasks, e.toString(), true, e, released, sent);
      return;
    }
    long renderMs = (System.nanoTime() - start) / 1_000_000;
    status.rendered(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      ImageTask t = tasks.get(i);
      RenderedImage img = images.get(i);
      Path path;
      try {
        path = store.write(t.job().jobId(), t.index(), img.image());
      } catch (RuntimeException e) {
        LOG.error(
            "worker {}: cannot store image {} of job {}: {}; releasing the job for another attempt",
            workerId, t.index(), t.job().jobId(), e.getMessage());
        released.add(t.job().jobId());
        continue;
      }
      ResultMessage result =
          new ResultMessage(
              ResultMessage.SCHEMA,
              t.job().jobId(),
              t.job().attempt(),
              t.index(),
              ResultMessage.Status.SUCCEEDED,
              null,
              path.toString(),
              t.request().seed(),
              t.request().width(),
              t.request().height(),
              t.request().steps(),
              t.request().guidance(),
              pipeline.modelId(),
              workerId,
              tasks.size(),
              Math.max(0, pickedUpAt - t.job().queuedAtMs()),
              renderMs,
              img.quality(),
              img.sharpness(),
              System.currentTimeMillis());
      publish(result, sent);
    }
    LOG.debug("worker {}: rendered {} images {}x{} in {} ms", workerId, tasks.size(),
        batch.key().width(), batch.key().height(), renderMs);
  }

  private void handleFailure(
      List<ImageTask> tasks,
      String reason,
      boolean retriable,
      Throwable cause,
      Set<UUID> released,
      Map<UUID, List<Future<RecordMetadata>>> sent) {
    Set<UUID> jobIds = new HashSet<>();
    tasks.forEach(t -> jobIds.add(t.job().jobId()));
    if (retriable) {
      LOG.warn(
          "worker {}: batch of {} images failed ({}); releasing jobs {} for another attempt",
          workerId, tasks.size(), reason, jobIds, cause);
      released.addAll(jobIds);
      return;
    }
    LOG.error("worker {}: jobs {} cannot render: {}", workerId, jobIds, reason);
    for (ImageTask t : tasks) {
      publish(
          new ResultMessage(
              ResultMessage.SCHEMA,
              t.job().jobId(),
              t.job().attempt(),
              t.index(),
              ResultMessage.Status.FAILED,
              reason,
              null,
              t.request().seed(),
              t.request().width(),
              t.request().height(),
              t.request().steps(),
              t.request().guidance(),
              pipeline.modelId(),
              workerId,
              tasks.size(),
              0,
              0,
              null,
              null,
              System.currentTimeMillis()),
          sent);
    }
  }

  private void publish(ResultMessage result, Map<UUID, List<Future<RecordMetadata>>> sent) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.RESULTS, result.jobId().toString(), Json.write(result));
    record.headers().add(Topics.SCHEMA_HEADER, new byte[] {(byte) ResultMessage.SCHEMA});
    sent.computeIfAbsent(result.jobId(), k -> new ArrayList<>()).add(producer.send(record));
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
          workerId, jobId, e.getMessage());
      return false;
    }
  }
}
