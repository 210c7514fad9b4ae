package dev.turbofarm.coordinator.seed.service;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A team's seed pool: the offsets a variants job adds to its parent's seed.
 *
 * @param isDefault true while the team has not set its own (the farm's default pool)
 * @param updatedAt when the team last changed it; null for the default
 * @param updatedBy who changed it; null for the default
 */
public record SeedPool(
    String team,
    List<Long> offsets,
    boolean isDefault,
    OffsetDateTime updatedAt,
    String updatedBy) {}
