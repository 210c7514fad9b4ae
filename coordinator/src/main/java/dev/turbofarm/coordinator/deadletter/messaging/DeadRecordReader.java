package dev.turbofarm.coordinator.deadletter.messaging;

import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.deadletter.service.DeadRecords;
import dev.turbofarm.coordinator.deadletter.service.DeadRecords.DeadRecord;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import dev.turbofarm.coordinator.kafka.SkipPoisonRecords;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads every dead-letter topic (the workers' share group's {@code dlq.turbofarm.jobs} and the
 * coordinator's own {@code dlq.turbofarm.results} and {@code dlq.turbofarm.heartbeats}) and records
 * each dead letter in PostgreSQL ({@link DeadRecords}) with where it came from and why, from the
 * headers Kafka's share groups write (the coordinator writes the same ones). For a job record the
 * worker's reason is not in the broker's header, so the job rules are run on it again here to name
 * what is wrong. Nothing in a dead letter is trusted: text is cut and cleaned, and a record that
 * cannot even be read that way is logged and skipped (a dead letter of a dead letter would have
 * nowhere to go).
 */
@ApplicationScoped
public class DeadRecordReader {
  /** Bytes of a dead letter's value kept for the listing. */
  static final int HEAD_BYTES = 256;

  /** Longest key kept, characters. */
  static final int MAX_KEY_CHARS = 200;

  /** Longest reason kept, characters. */
  static final int MAX_REASON_CHARS = 4000;

  private final DeadRecords records;
  private final KafkaClients kafka;
  private final SkipPoisonRecords poison;
  private final FarmConfig config;
  private ConsumerLoop<DeadRecord> loop;

  DeadRecordReader(
      DeadRecords records, KafkaClients kafka, SkipPoisonRecords poison, FarmConfig config) {
    this.records = records;
    this.kafka = kafka;
    this.poison = poison;
    this.config = config;
  }

  void start(@Observes StartupEvent ev) {
    loop =
        new ConsumerLoop<>(
            "turbofarm-dead-letters",
            Topics.DEAD_LETTER_TOPICS,
            () -> kafka.consumer(Topics.COORDINATOR_DEAD_LETTERS_GROUP, "coordinator-dead-letters"),
            DeadRecordReader::deadRecord,
            ConsumerLoop.Handler.acceptingAll(records::record),
            poison,
            config.dispatcher().retryBackoff());
    loop.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    if (loop != null) {
      loop.close();
    }
  }

  /** What a dead-letter record says about the record it keeps. */
  static DeadRecord deadRecord(ConsumerRecord<String, byte[]> r) {
    String dlq = r.topic();
    String sourceTopic =
        text(
            header(r, Topics.DLQ_TOPIC_HEADER),
            MAX_KEY_CHARS,
            dlq.substring(Topics.DLQ_PREFIX.length()));
    String reason = text(header(r, Topics.DLQ_MESSAGE_HEADER), MAX_REASON_CHARS, null);
    if (dlq.equals(Topics.JOBS_DLQ)) {
      String verdict = jobVerdict(r);
      reason = reason == null ? verdict : reason + "; " + verdict;
    }
    byte[] value = r.value();
    return new DeadRecord(
        0,
        sourceTopic,
        integer(header(r, Topics.DLQ_PARTITION_HEADER)),
        longValue(header(r, Topics.DLQ_OFFSET_HEADER)),
        text(header(r, Topics.DLQ_GROUP_HEADER), MAX_KEY_CHARS, null),
        dlq,
        r.partition(),
        r.offset(),
        text(r.key(), MAX_KEY_CHARS, null),
        clean(reason == null ? "no reason given" : reason, MAX_REASON_CHARS),
        value == null ? -1 : value.length,
        value == null ? new byte[0] : Arrays.copyOf(value, Math.min(HEAD_BYTES, value.length)),
        null);
  }

  /** The job rules' verdict on a job record a worker refused (the broker does not carry it). */
  private static String jobVerdict(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return "the dead letter holds no copy of the record";
    }
    try {
      MessageRules.job(KafkaClients.schemaHeader(r), r.value());
      return "the record passes the job rules here (it went over the delivery limit)";
    } catch (RuntimeException e) {
      return "the record " + e.getMessage();
    }
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static Integer integer(String s) {
    try {
      return s == null ? null : Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long longValue(String s) {
    try {
      return s == null ? null : Long.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String text(String s, int max, String fallback) {
    return s == null ? fallback : clean(s, max);
  }

  /**
   * At most {@code max} characters, each control character but tab and line feed and each unpaired
   * surrogate shown as '?': what PostgreSQL, logs and JSON take without question.
   */
  static String clean(String s, int max) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (sb.length() + n > max) {
        break;
      }
      boolean control = Character.getType(cp) == Character.CONTROL && cp != '\t' && cp != '\n';
      boolean lone = cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
      if (control || lone) {
        sb.append('?');
      } else {
        sb.appendCodePoint(cp);
      }
      i += n;
    }
    return sb.toString();
  }
}
