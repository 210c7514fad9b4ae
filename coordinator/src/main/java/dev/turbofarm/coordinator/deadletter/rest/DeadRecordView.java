package dev.turbofarm.coordinator.deadletter.rest;

import dev.turbofarm.coordinator.deadletter.service.DeadRecords.DeadRecord;
import java.time.OffsetDateTime;

/**
 * A dead-lettered Kafka record, as {@code GET /api/v1/admin/dead-letters?source=topics} shows it.
 *
 * @param topic the topic it was consumed from, with {@code partition} and {@code offset} there
 *     (null when the dead letter does not say)
 * @param deadLetterTopic where it lies now
 * @param reason why its consumer refused it
 * @param size bytes of its value, -1 when it had none
 * @param head its first bytes (at most 256): printable ASCII as is, every other byte as {@code
 *     \xNN}
 */
public record DeadRecordView(
    long id,
    String topic,
    Integer partition,
    Long offset,
    String consumerGroup,
    String deadLetterTopic,
    int deadLetterPartition,
    long deadLetterOffset,
    String key,
    String reason,
    int size,
    String head,
    OffsetDateTime deadLetteredAt) {

  static DeadRecordView of(DeadRecord r) {
    return new DeadRecordView(
        r.id(),
        r.sourceTopic(),
        r.sourcePartition(),
        r.sourceOffset(),
        r.consumerGroup(),
        r.deadLetterTopic(),
        r.deadLetterPartition(),
        r.deadLetterOffset(),
        r.key(),
        r.reason(),
        r.valueSize(),
        escaped(r.valueHead()),
        r.deadLetteredAt());
  }

  /** Bytes as text that survives any display: printable ASCII kept, the rest as {@code \xNN}. */
  static String escaped(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int v = b & 0xff;
      if (v >= 0x20 && v < 0x7f && v != '\\') {
        sb.append((char) v);
      } else {
        sb.append(String.format("\\x%02x", v));
      }
    }
    return sb.toString();
  }
}
