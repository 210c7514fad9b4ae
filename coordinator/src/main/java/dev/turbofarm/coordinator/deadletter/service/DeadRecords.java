package dev.turbofarm.coordinator.deadletter.service;

import dev.turbofarm.coordinator.deadletter.persistence.DeadRecordRepository;
import dev.turbofarm.coordinator.deadletter.persistence.DeadRecordRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Records that a consumer could not accept and that now lie in a dead-letter topic: stored once
 * each as the coordinator's reader of those topics finds them, and listed for admins.
 */
@ApplicationScoped
public class DeadRecords {
  private final DeadRecordRepository repository;

  DeadRecords(DeadRecordRepository repository) {
    this.repository = repository;
  }

  /**
   * A dead-lettered record.
   *
   * @param sourceTopic the topic it was consumed from
   * @param sourcePartition where it was there, null when the dead letter does not say
   * @param sourceOffset where it was there, null when the dead letter does not say
   * @param consumerGroup the group that gave up on it, null when not said
   * @param deadLetterTopic where it lies now, with {@code deadLetterPartition} and {@code
   *     deadLetterOffset}
   * @param key its key as text, null when none
   * @param reason why it was dead-lettered
   * @param valueSize bytes of its value, -1 when it had none
   * @param valueHead the first bytes of its value
   * @param deadLetteredAt when it was recorded (the database's clock); null before
   */
  public record DeadRecord(
      long id,
      String sourceTopic,
      Integer sourcePartition,
      Long sourceOffset,
      String consumerGroup,
      String deadLetterTopic,
      int deadLetterPartition,
      long deadLetterOffset,
      String key,
      String reason,
      int valueSize,
      byte[] valueHead,
      OffsetDateTime deadLetteredAt) {}

  /** Stores one poll of dead letters; one already stored is not stored again. */
  @Transactional
  public void record(List<DeadRecord> records) {
    repository.insertAll(
        records.stream()
            .map(
                r ->
                    new DeadRecordRow(
                        0,
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
                        r.valueHead(),
                        null))
            .toList());
  }

  /**
   * The most recent dead letters first.
   *
   * @param sourceTopic only those consumed from this topic; all when null
   */
  public List<DeadRecord> recent(String sourceTopic, int limit) {
    return repository.recent(sourceTopic, limit).stream()
        .map(
            r ->
                new DeadRecord(
                    r.id(),
                    r.sourceTopic(),
                    r.sourcePartition(),
                    r.sourceOffset(),
                    r.consumerGroup(),
                    r.dlqTopic(),
                    r.dlqPartition(),
                    r.dlqOffset(),
                    r.key(),
                    r.reason(),
                    r.valueSize(),
                    r.valueHead(),
                    r.deadLetteredAt()))
        .toList();
  }
}
