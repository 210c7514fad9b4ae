package dev.turbofarm.coordinator.analytics;

import java.time.Instant;
import java.util.UUID;

/** Where a history page ends: the last row's order key. */
public record HistoryCursor(Instant renderedAt, UUID jobId, int index) {}
