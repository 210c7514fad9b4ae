package dev.turbofarm.coordinator.kafka;

import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.error.UnavailableProblem;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Writes a poison record to its dead-letter topic, {@code dlq.<topic>}: the record as it came (key,
 * value, headers) plus the headers Kafka's share groups write for their own dead letters ({@code
 * __dlq.errors.topic}, {@code .partition}, {@code .offset}, {@code .group}, {@code .message} with
 * the reason), counts it in {@code turbofarm.records.dead_lettered{topic}} and logs it. The
 * consumer then moves past it; the coordinator's dead-letter reader lists it under {@code GET
 * /api/v1/admin/dead-letters?source=topics}.
 */
@ApplicationScoped
public class DeadLetterTopics implements PoisonRecords {
  private static final Logger LOG = Logger.getLogger(DeadLetterTopics.class);

  /** How long writing one dead letter may take before the poll is retried, s. */
  private static final long SEND_TIMEOUT_S = 15;

  /** Longest reason kept in the header, characters: a reason, not a dump. */
  static final int MAX_REASON_CHARS = 2000;

  private final KafkaClients kafka;
  private final MeterRegistry metrics;

  DeadLetterTopics(KafkaClients kafka, MeterRegistry metrics) {
    this.kafka = kafka;
    this.metrics = metrics;
  }

  @Override
  public void poisoned(ConsumerRecord<String, byte[]> record, String reason) {
    String why =
        reason == null
            ? "no reason given"
            : reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
    String dlq = Topics.DLQ_PREFIX + record.topic();
    ProducerRecord<String, byte[]> out =
        new ProducerRecord<>(dlq, null, record.key(), record.value());
    for (Header h : record.headers()) {
      out.headers().add(h);
    }
    out.headers()
        .add(Topics.DLQ_TOPIC_HEADER, utf8(record.topic()))
        .add(Topics.DLQ_PARTITION_HEADER, utf8(Integer.toString(record.partition())))
        .add(Topics.DLQ_OFFSET_HEADER, utf8(Long.toString(record.offset())))
        .add(Topics.DLQ_MESSAGE_HEADER, utf8(why));
    try {
      kafka.producer().send(out).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeadLetterUnavailable(dlq, e);
    } catch (Exception e) {
      throw new DeadLetterUnavailable(dlq, e);
    }
    metrics.counter("turbofarm.records.dead_lettered", "topic", record.topic()).increment();
    LOG.errorf(
        "dead-lettered the record at %s-%d offset %d (key %s) to %s: %s. Its consumer moved on;"
            + " GET /api/v1/admin/dead-letters?source=topics lists it",
        record.topic(), record.partition(), record.offset(), record.key(), dlq, why);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The dead-letter topic cannot be written now: the poll is read again after a back-off. */
  static final class DeadLetterUnavailable extends UnavailableProblem {
    DeadLetterUnavailable(String topic, Throwable cause) {
      super("cannot write to the dead-letter topic " + topic + " (" + cause + "); retrying", cause);
    }
  }
}
