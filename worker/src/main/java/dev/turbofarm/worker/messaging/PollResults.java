package dev.turbofarm.worker.messaging;

import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.model.api.RenderException;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import dev.turbofarm.model.api.RetriableRenderException;
import dev.turbofarm.store.image.ImageWriter;
import dev.turbofarm.store.image.StoredImage;
import dev.turbofarm.worker.batch.BatchPlanner.ImageTask;
import dev.turbofarm.worker.batch.ResultSink;
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
  private final ImageWriter store;
  private final Set<UUID> released = ConcurrentHashMap.newKeySet();
  private final Map<UUID, List<Future<RecordMetadata>>> sent = new ConcurrentHashMap<>();

  PollResults(
      String workerId, String modelId, Producer<String, byte[]> producer, ImageWriter store) {
    this.workerId = workerId;
    this.modelId = modelId;
    this.producer = producer;
    this.store = store;
  }

  @Override
  public void succeeded(ImageTask t, RenderedImage img, Rendered how) {
    StoredImage stored;
    try {
      // PNG, SHA-256 and thumbnails; an image an earlier attempt stored stands (first write wins).
      stored = store.write(t.job().jobId(), t.index(), img.image());
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
            stored,
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
            t,
            ResultMessage.Status.FAILED,
            fitReason(reason),
            null,
            1,
            0,
            0,
            null,
            retriable(failure),
            null));
  }

  /**
   * A reason the coordinator accepts ({@link MessageRules}): at most {@link
   * MessageRules#MAX_REASON_CHARS} characters, control characters other than line breaks and tabs
   * shown as '?' (an exception's message can carry anything).
   */
  static String fitReason(String reason) {
    String r = reason == null || reason.isBlank() ? "render failed (no reason given)" : reason;
    StringBuilder sb = new StringBuilder(Math.min(r.length(), MessageRules.MAX_REASON_CHARS));
    for (int i = 0; i < r.length(); ) {
      int cp = r.codePointAt(i); // a lone surrogate comes back as itself
      int n = Character.charCount(cp);
      if (sb.length() + n > MessageRules.MAX_REASON_CHARS) {
        break;
      }
      boolean control =
          Character.getType(cp) == Character.CONTROL && cp != '\t' && cp != '\n' && cp != '\r';
      boolean loneSurrogate = cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
      if (control || loneSurrogate) {
        sb.append('?');
      } else {
        sb.appendCodePoint(cp);
      }
      i += n;
    }
    return sb.toString();
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
      StoredImage stored,
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
        null,
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
        fallbackProfile,
        stored == null ? null : stored.key(),
        stored == null ? null : stored.sha256(),
        stored == null ? null : stored.bytes(),
        stored == null ? null : stored.crc32(),
        stored == null ? null : stored.thumbnails());
  }

  private void publish(ImageTask t, ResultMessage result) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            Topics.resultsFor(t.job()), result.jobId().toString(), Json.write(result));
    record.headers().add(Topics.SCHEMA_HEADER, MessageRules.schemaHeader(ResultMessage.SCHEMA));
    sent.computeIfAbsent(result.jobId(), k -> Collections.synchronizedList(new ArrayList<>()))
        .add(producer.send(record));
  }
}
