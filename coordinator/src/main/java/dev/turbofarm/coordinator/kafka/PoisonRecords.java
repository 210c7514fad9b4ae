package dev.turbofarm.coordinator.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a record goes that can never be processed (it cannot be decoded, breaks the message rules,
 * or fails on its own for a reason a retry cannot cure), so its consumer moves on instead of
 * retrying it forever: {@link DeadLetterTopics} writes it to its dead-letter topic; {@link
 * SkipPoisonRecords} only logs and counts (for the dead-letter topics' own reader).
 */
@FunctionalInterface
public interface PoisonRecords {
  /**
   * Takes a poison record.
   *
   * @param reason why it cannot be processed, for the dead-letter header and the log
   * @throws dev.turbofarm.coordinator.error.UnavailableProblem when the record could not be put
   *     aside (the dead-letter topic is unreachable): the loop then reads the poll again
   */
  void poisoned(ConsumerRecord<String, byte[]> record, String reason);
}
