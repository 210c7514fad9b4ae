package dev.turbofarm.worker.messaging;

import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.model.api.RenderException;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.model.api.RetriableRenderException;
import dev.turbofarm.worker.batch.BatchPlanner.ImageTask;
import dev.turbofarm.worker.batch.ResultSink;
import dev.turbofarm.worker.store.ResultStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results of one poll's jobs: writes each rendered image to the result store, publishes one
 * result per image, and remembers what {@link JobLoop} needs to acknowledge each job: whether it
 * must go back to the broker, and whether its results reached the broker.
 */
final class PollResults implements ResultSink {
  private static final Logger LOG = LoggerFactory.getLogger(PollResults.class);

  /** How long publishing one poll's results may take before the jobs are released, s. */
  private static final long PUBLISH_TIMEOUT_S = 30;

  private final String workerId;
  private final String modelId;
  private final Producer<String, byte[]> producer;
  private final ResultStore store;
  private final Set<UUID> released = ConcurrentHashMap.newKeySet();
  private final Map<UUID, List<Future<RecordMetadata>>> sent = new ConcurrentHashMap<>();

  PollResults(
      String workerId, String modelId, Producer<String, byte[]> producer, ResultStore store) {
    this.workerId = workerId;
    this.modelId = modelId;
    this.producer = producer;
    this.store = store;
  }

  @Override
  public void succeeded(ImageTask t, RenderedImage img, Rendered how) {
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
      release(t.job().jobId());
      return;
    }
    publish(
        t,
        result(
            t,
            ResultMessage.Status.SUCCEEDED,
            null,
            path.toString(),
            how.batchSize(),
            // Waiting, in the queue and behind earlier batches of the same poll, until its render.
            Math.max(0, how.startedAtMs() - t.job().queuedAtMs()),
            how.renderMs(),
            img,
            false,
            how.fallbackProfile()));
  }

  @Override
  public void failed(ImageTask t, String reason, RenderException failure) {
    publish(
        t,
        result(
            t, ResultMessage.Status.FAILED, reason, null, 1, 0, 0, null, retriable(failure), null));
  }

  /**
   * The one place where a failure's type becomes the result's {@code retriable} field, which the
   * coordinator reads to retry the job or fail it at once (the wire format keeps the flag).
   */
  private static boolean retriable(RenderException failure) {
    return failure instanceof RetriableRenderException;
  }

  @Override
  public void release(UUID jobId) {
    released.add(jobId);
  }

  /** Whether a result of the job could not be stored or published, so it goes back. */
  boolean released(UUID jobId) {
    return released.contains(jobId);
  }

  /** Waits until the broker has every result of the job, at most {@link #PUBLISH_TIMEOUT_S}. */
  boolean published(UUID jobId) {
    try {
      for (Future<RecordMetadata> f : sent.getOrDefault(jobId, List.of())) {
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
        modelId,
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

  private void publish(ImageTask t, ResultMessage result) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            Topics.resultsFor(t.job()), result.jobId().toString(), Json.write(result));
    record.headers().add(Topics.SCHEMA_HEADER, new byte[] {(byte) ResultMessage.SCHEMA});
    sent.computeIfAbsent(result.jobId(), k -> Collections.synchronizedList(new ArrayList<>()))
        .add(producer.send(record));
  }
}
