package dev.turbofarm.coordinator.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a record goes that can never be processed (it cannot be decoded, or it fails on its own for
 * a reason a retry cannot cure), so its consumer moves on instead of retrying it forever. The hook
 * for dead-letter topics: today {@link SkipPoisonRecords} logs and counts it.
 */
@FunctionalInterface
public interface PoisonRecords {
  /**
   * Takes a poison record; must not throw.
   *
   * @param reason why it cannot be processed
   */
  void poisoned(ConsumerRecord<String, byte[]> record, Exception reason);
}
