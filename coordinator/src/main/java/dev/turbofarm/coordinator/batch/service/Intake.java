package dev.turbofarm.coordinator.batch.service;

import java.util.List;
import java.util.UUID;

/**
 * An accepted catalogue.
 *
 * @param accepted jobs stored as QUEUED
 * @param images images those jobs will render
 * @param rejectedCount bad rows, all of them
 * @param rejected the bad rows listed (at most {@code turbofarm.batches.max-reported-errors})
 * @param intakeMs time from the first byte read to the commit, ms
 */
public record Intake(
    UUID id,
    String team,
    int accepted,
    long images,
    int rejectedCount,
    List<RowError> rejected,
    long intakeMs) {}
