package dev.turbofarm.coordinator.security.service;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What an admin asks for when creating a key.
 *
 * @param name who will hold it; required
 * @param role submitter, analyst or admin; required
 * @param team the key's own team; required
 * @param teams further teams an analyst may read; empty for other roles
 * @param rateLimit requests per second for this key; null: the default of its role
 * @param expiresAt when it stops working; null: never
 */
public record NewKey(
    String name,
    String role,
    String team,
    List<String> teams,
    Integer rateLimit,
    OffsetDateTime expiresAt) {}
