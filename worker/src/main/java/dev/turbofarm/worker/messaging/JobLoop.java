package dev.turbofarm.worker.messaging;

import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.model.api.FatalRenderException;
import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.store.image.ImageWriter;
import dev.turbofarm.worker.WorkerStatus;
import dev.turbofarm.worker.batch.BatchPlanner;
import dev.turbofarm.worker.batch.BatchPlanner.Batch;
import dev.turbofarm.worker.batch.BatchRenderer;
import dev.turbofarm.worker.batch.RenderGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes jobs from the share group, renders them in compatible batches ({@link BatchRenderer}),
 * publishes one result per image ({@link PollResults}; a failed result says by its failure's type
 * whether a retry may help; the coordinator owns the retries) and only then acknowledges each job:
 * ACCEPT when its results are out, RELEASE when they could not be stored or published, REJECT when
 * the record breaks common's {@link MessageRules} (schema header, required fields, the job rules'
 * ranges): the share group then dead-letters it. Every job polled is acknowledged one way or
 * another before the next poll, and no record, however malformed, stops the worker.
 *
 * <p>A worker runs two of these, one on its model's bulk jobs topic and one on its interactive jobs
 * topic, each with its own share consumer and thread; they share the model through a {@link
 * RenderGate}, so an interactive batch renders as soon as the render in progress ends (the images
 * of that render are stored and published beside it).
 */
public final class JobLoop {
  private static final Logger LOG = LoggerFactory.getLogger(JobLoop.class);

  private final String workerId;
  private final String jobsTopic;
  private final ShareConsumer<String, byte[]> consumer;
  private final Producer<String, byte[]> producer;
  private final Pipeline pipeline;
  private final ImageWriter store;
  private final BatchPlanner planner;
  private final BatchRenderer renderer;
  private final Runnable onTake;

  private final WorkerStatus status;
  private final Duration pollTimeout;
  private final int maxBatchSize;
  private final Duration maxBatchDelay;
  private volatile boolean draining;

  /**
   * A loop on {@code jobsTopic}: the bulk or the interactive jobs topic of the model {@code
   * pipeline} serves ({@link Topics#jobsFor}, {@link Topics#interactiveJobsFor}); an interactive
   * loop's batches go first through {@code gate}.
   *
   * @param gate shared by the worker's loops: one batch at a time on the model
   */
  public JobLoop(
      String workerId,
      String jobsTopic,
      RenderGate gate,
      ShareConsumer<String, byte[]> consumer,
      Producer<String, byte[]> producer,
      Pipeline pipeline,
      ImageWriter store,
      int maxBatchSize,
      long memoryBudgetPixels,
      Runnable onTake,
      WorkerStatus status,
      Duration pollTimeout,
      Duration maxBatchDelay) {
    this.workerId = workerId;
    this.jobsTopic = jobsTopic;
    this.consumer = consumer;
    this.producer = producer;
    this.pipeline = pipeline;
    this.store = store;
    this.planner = new BatchPlanner(maxBatchSize, memoryBudgetPixels);
    this.renderer =
        new BatchRenderer(
            workerId, pipeline, planner, status, gate, Topics.isInteractive(jobsTopic));
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
    boolean subscribed = false;
    boolean partial = false;
    while (!draining) {
      if (status.paused()) {
        // Cordoned, draining or quarantined by an admin (ControlListener). The batch before this
        // check has finished and is acknowledged; leaving the share group hands back what the
        // consumer fetched ahead (it would stay locked to this worker for the lock duration if it
        // merely stopped polling), and without a subscription the broker sends it nothing.
        if (subscribed) {
          consumer.unsubscribe();
          subscribed = false;
        }
        partial = false;
        sleep(pollTimeout);
        continue;
      }
      if (!subscribed) {
        consumer.subscribe(List.of(jobsTopic));
        subscribed = true;
      }
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
      if (status.paused()) {
        // Cordoned while this poll was waiting: what it brought goes back to the broker for the
        // other workers, unrendered, and the next turn leaves the share group.
        for (var r : records) {
          consumer.acknowledge(r, AcknowledgeType.RELEASE);
        }
        commitQuietly();
        continue;
      }
      // Record count, not image count: decoding twice is not worth it for a pacing decision.
      partial = records.count() < maxBatchSize;
      try {
        process(records);
      } catch (RuntimeException e) {
        // process() acknowledges every record it can; whatever is left the broker redelivers
        // after the lock. The worker itself keeps serving.
        LOG.error("worker {}: a poll could not be processed; taking the next one", workerId, e);
      }
      commitQuietly();
    }
  }

  private void commitQuietly() {
    try {
      consumer.commitSync();
    } catch (RuntimeException e) {
      // The broker redelivers what it did not hear about; results are idempotent.
      LOG.warn("worker {}: acknowledgements not committed: {}", workerId, e.getMessage());
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

  /**
   * A job for another model never renders here: its topic is its model's, so it reached this worker
   * only through two model ids that share a topic name. It fails for good with the reason (a retry
   * would come back to the same topic); the dead-letter list shows it.
   */
  private List<JobMessage> refuseOtherModels(List<JobMessage> jobs, PollResults results) {
    List<JobMessage> mine = new ArrayList<>(jobs.size());
    for (JobMessage job : jobs) {
      if (job.model() == null || job.model().equals(pipeline.modelId())) {
        mine.add(job);
        continue;
      }
      String reason =
          "job for model '"
              + job.model()
              + "' reached worker "
              + workerId
              + ", which serves '"
              + pipeline.modelId()
              + "' (both use topic "
              + jobsTopic
              + "); give one of the models another id";
      LOG.error("worker {}: refusing job {}: {}", workerId, job.jobId(), reason);
      for (BatchPlanner.ImageTask t : planner.plan(List.of(job)).get(0).images()) {
        results.failed(t, reason, new FatalRenderException(reason));
      }
    }
    return mine;
  }

  void process(ConsumerRecords<String, byte[]> records) {
    long pickedUpAt = System.currentTimeMillis();
    Map<UUID, ConsumerRecord<String, byte[]>> recordOf = new LinkedHashMap<>();
    List<JobMessage> jobs = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      JobMessage job;
      try {
        job = MessageRules.job(schemaHeader(r), r.value());
      } catch (RuntimeException e) {
        // Whatever is in the record (width 0, {}, garbage, a huge prompt, another schema): it is
        // refused here, before it reaches the planner or the model, and the worker serves on.
        LOG.error(
            "worker {}: rejecting job record at {}-{} offset {} (it goes to the dead-letter topic"
                + " {}; the coordinator lists it under GET /api/v1/admin/dead-letters?source=topics):"
                + " {}",
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
    List<JobMessage> toRender = refuseOtherModels(jobs, results);
    status.startWork();
    status.state(WorkerState.BUSY);
    Set<UUID> acknowledged = new HashSet<>();
    try {
      for (Batch batch : planner.plan(toRender)) {
        renderer.render(batch.images(), results);
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
        acknowledged.add(id);
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
    } catch (RuntimeException e) {
      // A fault of this worker, not of the jobs (they passed the rules): they go back to the
      // broker, which counts the delivery and dead-letters a job that keeps failing this way.
      LOG.error(
          "worker {}: rendering a poll of {} jobs failed unexpectedly; releasing the jobs not yet"
              + " acknowledged and taking the next poll",
          workerId,
          jobs.size(),
          e);
      for (JobMessage job : jobs) {
        if (!acknowledged.contains(job.jobId())) {
          consumer.acknowledge(recordOf.get(job.jobId()), AcknowledgeType.RELEASE);
        }
      }
    } finally {
      jobs.forEach(j -> status.release(j.jobId()));
      if (status.endWork() == 0) {
        status.currentBatch(0);
        status.state(draining ? WorkerState.DRAINING : WorkerState.READY);
      }
    }
  }

  private static byte[] schemaHeader(ConsumerRecord<String, byte[]> r) {
    Header h = r.headers().lastHeader(Topics.SCHEMA_HEADER);
    return h == null ? null : h.value();
  }
}
