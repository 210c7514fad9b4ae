package dev.turbofarm.coordinator.security.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code api_key} (V20). Never leaves this package: {@link ApiKeyRepository} maps it. */
@Entity
@Table(name = "api_key")
class ApiKeyEntity {
  @Id UUID id;

  @Column(name = "secret_hash", nullable = false, updatable = false)
  String secretHash;

  @Column(nullable = false, updatable = false)
  String prefix;

  @Column(nullable = false)
  String name;

  @Column(nullable = false)
  String role;

  @Column(nullable = false)
  String team;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "read_teams", nullable = false)
  String[] readTeams;

  @Column(name = "rate_per_s")
  Integer ratePerS;

  @Column(name = "created_at", nullable = false, updatable = false, insertable = false)
  OffsetDateTime createdAt;

  @Column(name = "created_by", nullable = false, updatable = false)
  String createdBy;

  @Column(name = "expires_at")
  OffsetDateTime expiresAt;

  @Column(name = "revoked_at")
  OffsetDateTime revokedAt;

  @Column(name = "last_used_at")
  OffsetDateTime lastUsedAt;
}
