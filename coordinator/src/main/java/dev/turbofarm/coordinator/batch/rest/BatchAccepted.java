package dev.turbofarm.coordinator.batch.rest;

import dev.turbofarm.coordinator.batch.service.RowError;
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
    List<RowError> rejected,
    long intakeMs) {}
