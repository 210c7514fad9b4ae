package dev.turbofarm.coordinator.security.persistence;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * An API key as stored, without its hash.
 *
 * @param prefix the key's first characters, to recognise it
 * @param readTeams further teams an analyst key may read
 * @param ratePerS the key's own request rate, or null for the default
 */
public record ApiKeyRow(
    UUID id,
    String prefix,
    String name,
    String role,
    String team,
    List<String> readTeams,
    Integer ratePerS,
    OffsetDateTime createdAt,
    String createdBy,
    OffsetDateTime expiresAt,
    OffsetDateTime revokedAt,
    OffsetDateTime lastUsedAt) {

  static ApiKeyRow of(ApiKeyEntity e) {
    return new ApiKeyRow(
        e.id,
        e.prefix,
        e.name,
        e.role,
        e.team,
        e.readTeams == null ? List.of() : List.of(e.readTeams),
        e.ratePerS,
        e.createdAt,
        e.createdBy,
        e.expiresAt,
        e.revokedAt,
        e.lastUsedAt);
  }
}
