package dev.turbofarm.coordinator.batch.rest;

import dev.turbofarm.coordinator.batch.service.Intake;
import java.util.List;
import java.util.UUID;

/**
 * The answer to a catalogue upload.
 *
 * @param id the batch's id
 * @param team the team the jobs count against
 * @param accepted jobs stored as QUEUED
 * @param images images those jobs will render
 * @param rejectedCount bad rows, all of them
 * @param rejected the bad rows with line, field and problem (at most {@code
 *     turbofarm.batches.max-reported-errors} listed)
 * @param intakeMs time from the first byte read to the commit, ms
 */
public record BatchAccepted(
    UUID id,
    String team,
    int accepted,
    long images,
    int rejectedCount,
    List<RejectedRow> rejected,
    long intakeMs) {

  /**
   * One rejected catalogue row.
   *
   * @param line the row's line number in the catalogue
   * @param field the offending column, or {@code row} when the row as a whole is unreadable
   * @param problem what is wrong and what would be right
   */
  public record RejectedRow(int line, String field, String problem) {}

  static BatchAccepted of(Intake i) {
    return new BatchAccepted(
        i.id(),
        i.team(),
        i.accepted(),
        i.images(),
        i.rejectedCount(),
        i.rejected().stream().map(r -> new RejectedRow(r.line(), r.field(), r.problem())).toList(),
        i.intakeMs());
  }
}
