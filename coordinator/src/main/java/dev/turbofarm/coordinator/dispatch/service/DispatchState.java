package dev.turbofarm.coordinator.dispatch.service;

import java.time.OffsetDateTime;

/**
 * Dispatch at a glance.
 *
 * @param pausedAt null unless an admin paused dispatch
 * @param reason the pause's reason, or null
 * @param queued jobs waiting in PostgreSQL
 * @param dispatched jobs sent and not finished
 * @param window most bulk jobs in flight now, from the ready workers' batches (ADR 0014)
 */
public record DispatchState(
    boolean paused,
    OffsetDateTime pausedAt,
    String reason,
    long queued,
    long dispatched,
    int window) {}
