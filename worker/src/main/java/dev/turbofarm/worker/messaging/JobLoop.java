package dev.turbofarm.worker.messaging;

import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.worker.WorkerStatus;
import dev.turbofarm.worker.batch.BatchPlanner;
import dev.turbofarm.worker.batch.BatchPlanner.Batch;
import dev.turbofarm.worker.batch.BatchRenderer;
import dev.turbofarm.worker.batch.RenderGate;
import dev.turbofarm.worker.store.ResultStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes jobs from the share group, renders them in compatible batches ({@link BatchRenderer}),
 * publishes one result per image ({@link PollResults}; a failed result says by its failure's type
 * whether a retry may help; the coordinator owns the retries) and only then acknowledges each job:
 * ACCEPT when its results are out, RELEASE when they could not be stored or published, REJECT when
 * the record cannot be decoded. Every job polled is acknowledged one way or another before the next
 * poll.
 *
 * <p>A worker runs two of these, one on the bulk jobs topic and one on the interactive jobs topic,
 * each with its own share consumer and thread; they share the model through a {@link RenderGate},
 * so an interactive batch renders as soon as the batch in progress ends.
 */
public final class JobLoop {
  private static final Logger LOG = LoggerFactory.getLogger(JobLoop.class);

  private final String workerId;
  private final String topic;
  private final RenderGate gate;
  private final ShareConsumer<String, byte[]> consumer;
  private final Producer<String, byte[]> producer;
  private final Pipeline pipeline;
  private final ResultStore store;
  private final BatchPlanner planner;
  private final BatchRenderer renderer;
  private final Runnable onTake;

  private final WorkerStatus status;
  private final Duration pollTimeout;
  private final int maxBatchSize;
  private final Duration maxBatchDelay;
  private volatile boolean draining;

  /**
   * @param topic {@link Topics#JOBS} or {@link Topics#JOBS_INTERACTIVE}: the second one's batches
   *     go first through {@code gate}
   * @param gate shared by the worker's loops: one batch at a time on the model
   */
  public JobLoop(
      String workerId,
      String topic,
      RenderGate gate,
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
    this.topic = topic;
    this.gate = gate;
    this.consumer = consumer;
    this.producer = producer;
    this.pipeline = pipeline;
    this.store = store;
    this.planner = new BatchPlanner(maxBatchSize, memoryBudgetPixels);
    this.renderer = new BatchRenderer(workerId, pipeline, planner, status);
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
    consumer.subscribe(List.of(topic));
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

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Leaves the share group: unacknowledged records go back to the broker at once. */
  public void close() {
    renderer.close();
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
    PollResults results = new PollResults(workerId, pipeline.modelId(), producer, store);
    boolean interactive = Topics.JOBS_INTERACTIVE.equals(topic);
    status.startWork();
    status.state(WorkerState.BUSY);
    try {
      for (Batch batch : planner.plan(jobs)) {
        gate.acquire(interactive);
        try {
          renderer.render(batch.images(), results);
        } finally {
          gate.release();
        }
      }
    } finally {
      if (status.endWork() == 0) {
        status.currentBatch(0);
        status.state(draining ? WorkerState.DRAINING : WorkerState.READY);
      }
    }
    long renderedAt = System.currentTimeMillis();
    for (JobMessage job : jobs) {
      UUID id = job.jobId();
      // ACCEPT only once every result of the job is out; RELEASE hands it to another attempt.
      AcknowledgeType ack =
          results.released(id) || !results.published(id)
              ? AcknowledgeType.RELEASE
              : AcknowledgeType.ACCEPT;
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
}
