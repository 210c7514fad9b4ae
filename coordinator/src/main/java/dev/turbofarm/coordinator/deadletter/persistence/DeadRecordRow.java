package dev.turbofarm.coordinator.deadletter.persistence;

import java.time.OffsetDateTime;

/**
 * A row of the {@code dead_record} table.
 *
 * @param id 0 before it is stored
 * @param sourcePartition null when the dead letter does not say
 * @param valueSize bytes of the record's value, -1 when it had none
 * @param valueHead its first bytes
 * @param deadLetteredAt null before it is stored
 */
public record DeadRecordRow(
    long id,
    String sourceTopic,
    Integer sourcePartition,
    Long sourceOffset,
    String consumerGroup,
    String dlqTopic,
    int dlqPartition,
    long dlqOffset,
    String key,
    String reason,
    int valueSize,
    byte[] valueHead,
    OffsetDateTime deadLetteredAt) {}
