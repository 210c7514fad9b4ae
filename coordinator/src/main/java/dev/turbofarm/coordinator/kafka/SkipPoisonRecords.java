package dev.turbofarm.coordinator.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Poison records are logged with where they are (topic, partition, offset) and why, counted in
 * {@code turbofarm.records.poison{topic}}, and skipped: their offset is committed with the rest.
 * Only for the reader of the dead-letter topics themselves (a dead letter of a dead letter would
 * have nowhere to go); every other consumer dead-letters through {@link DeadLetterTopics}.
 */
@ApplicationScoped
public class SkipPoisonRecords implements PoisonRecords {
  private static final Logger LOG = Logger.getLogger(SkipPoisonRecords.class);

  private final MeterRegistry metrics;

  SkipPoisonRecords(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  @Override
  public void poisoned(ConsumerRecord<String, byte[]> record, String reason) {
    metrics.counter("turbofarm.records.poison", "topic", record.topic()).increment();
    LOG.errorf(
        "skipping poison record at %s-%d offset %d (key %s): %s. It is not retried; its producer"
            + " sent something this coordinator cannot process",
        record.topic(), record.partition(), record.offset(), record.key(), reason);
  }
}
