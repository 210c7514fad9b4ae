package dev.turbofarm.coordinator.seed.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The {@code seed_pool} table, through JPA: a team's pool of seed offsets. Inside the caller's
 * transaction.
 */
@ApplicationScoped
public class SeedPoolRepository {
  private final EntityManager em;

  SeedPoolRepository(EntityManager em) {
    this.em = em;
  }

  /**
   * A team's stored pool.
   *
   * @param updatedAt when it was last set (the database's clock)
   * @param updatedBy who set it
   */
  public record StoredPool(
      String team, List<Long> offsets, OffsetDateTime updatedAt, String updatedBy) {}

  /** The team's pool; empty when it never set one. */
  public Optional<StoredPool> find(String team) {
    return Optional.ofNullable(em.find(SeedPoolEntity.class, team)).map(SeedPoolRepository::of);
  }

  /**
   * Serialises changes of one team's pool until the transaction ends (a transaction-scoped advisory
   * lock: the row may not exist yet), so two promotions never lose one another.
   */
  public void lock(String team) {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('turbofarm.seed-pool.' || ?1))")
        .setParameter(1, team)
        .getSingleResult();
  }

  /** Stores the team's pool, replacing any. */
  public StoredPool save(String team, List<Long> offsets, String who) {
    SeedPoolEntity e = em.find(SeedPoolEntity.class, team);
    boolean fresh = e == null;
    if (fresh) {
      e = new SeedPoolEntity();
      e.team = team;
    }
    e.set(offsets, who, OffsetDateTime.now());
    if (fresh) {
      em.persist(e);
    }
    em.flush();
    return of(e);
  }

  private static StoredPool of(SeedPoolEntity e) {
    return new StoredPool(e.team, List.copyOf(e.offsets), e.updatedAt, e.updatedBy);
  }
}
