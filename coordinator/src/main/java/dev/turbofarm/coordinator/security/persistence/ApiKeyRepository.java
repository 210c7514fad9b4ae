package dev.turbofarm.coordinator.security.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code api_key} table, through Hibernate ORM. Callers bring the transaction ({@code
 * Transactional} on the service method).
 */
@ApplicationScoped
public class ApiKeyRepository {
  private final EntityManager em;

  ApiKeyRepository(EntityManager em) {
    this.em = em;
  }

  /** Stores a new key; {@code createdAt} is the database's clock. */
  public ApiKeyRow insert(
      UUID id,
      String secretHash,
      String prefix,
      String name,
      String role,
      String team,
      List<String> readTeams,
      Integer ratePerS,
      String createdBy,
      OffsetDateTime expiresAt) {
    ApiKeyEntity e = new ApiKeyEntity();
    e.id = id;
    e.secretHash = secretHash;
    e.prefix = prefix;
    e.name = name;
    e.role = role;
    e.team = team;
    e.readTeams = readTeams.toArray(String[]::new);
    e.ratePerS = ratePerS;
    e.createdBy = createdBy;
    e.expiresAt = expiresAt;
    em.persist(e);
    em.flush();
    em.refresh(e);
    return ApiKeyRow.of(e);
  }

  /**
   * Stores a key unless one with the same hash exists (another replica may store the same bootstrap
   * key at the same moment).
   *
   * @return whether this call stored it
   */
  public boolean insertIfAbsent(
      UUID id,
      String secretHash,
      String prefix,
      String name,
      String role,
      String team,
      String createdBy) {
    return em.createNativeQuery(
                "INSERT INTO api_key (id, secret_hash, prefix, name, role, team, created_by)"
                    + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (secret_hash) DO NOTHING")
            .setParameter(1, id)
            .setParameter(2, secretHash)
            .setParameter(3, prefix)
            .setParameter(4, name)
            .setParameter(5, role)
            .setParameter(6, team)
            .setParameter(7, createdBy)
            .executeUpdate()
        == 1;
  }

  /** Whether a key with this hash exists, revoked or not. */
  public boolean existsByHash(String secretHash) {
    return !em.createQuery("SELECT k.id FROM ApiKeyEntity k WHERE k.secretHash = :h", UUID.class)
        .setParameter("h", secretHash)
        .setMaxResults(1)
        .getResultList()
        .isEmpty();
  }

  /** The key with this hash, revoked or expired ones included. */
  public Optional<ApiKeyRow> findByHash(String secretHash) {
    return em.createQuery(
            "SELECT k FROM ApiKeyEntity k WHERE k.secretHash = :h", ApiKeyEntity.class)
        .setParameter("h", secretHash)
        .getResultStream()
        .findFirst()
        .map(ApiKeyRow::of);
  }

  public Optional<ApiKeyRow> find(UUID id) {
    return Optional.ofNullable(em.find(ApiKeyEntity.class, id)).map(ApiKeyRow::of);
  }

  /** Every key, newest first; revoked ones only when asked. */
  public List<ApiKeyRow> list(boolean includeRevoked) {
    return em.createQuery(
            "SELECT k FROM ApiKeyEntity k"
                + (includeRevoked ? "" : " WHERE k.revokedAt IS NULL")
                + " ORDER BY k.createdAt DESC, k.id",
            ApiKeyEntity.class)
        .getResultStream()
        .map(ApiKeyRow::of)
        .toList();
  }

  /**
   * Marks a key revoked now (the database's clock); a key already revoked keeps its first time.
   *
   * @return the key after the change, or empty for an unknown id
   */
  public Optional<ApiKeyRow> revoke(UUID id) {
    em.createNativeQuery(
            "UPDATE api_key SET revoked_at = now() WHERE id = ?1 AND revoked_at IS NULL")
        .setParameter(1, id)
        .executeUpdate();
    ApiKeyEntity e = em.find(ApiKeyEntity.class, id);
    if (e == null) {
      return Optional.empty();
    }
    em.refresh(e);
    return Optional.of(ApiKeyRow.of(e));
  }

  /** Sets {@code last_used_at} to now (the database's clock). */
  public void touch(UUID id) {
    em.createNativeQuery("UPDATE api_key SET last_used_at = now() WHERE id = ?1")
        .setParameter(1, id)
        .executeUpdate();
  }
}
