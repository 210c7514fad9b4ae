package dev.turbofarm.coordinator.security.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * An API key as the service shows it: never its secret, nor the secret's hash.
 *
 * @param prefix the key's first characters ({@code tf_} and 6 more), to recognise it
 * @param teams further teams an analyst key may read
 * @param rateLimit the key's own requests per second, or null for the configured default
 * @param state ACTIVE, EXPIRED or REVOKED
 */
public record ApiKey(
    UUID id,
    String prefix,
    String name,
    String role,
    String team,
    List<String> teams,
    Integer rateLimit,
    OffsetDateTime createdAt,
    String createdBy,
    OffsetDateTime expiresAt,
    OffsetDateTime revokedAt,
    OffsetDateTime lastUsedAt,
    String state) {}
