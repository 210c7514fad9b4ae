package dev.turbofarm.coordinator.image.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The {@code team_retention} table through JPA (simple CRUD, CONVENTIONS.md): each team's policy.
 * Entities stay here; callers get {@link Policy} records.
 */
@ApplicationScoped
public class TeamRetentionRepository {
  private final EntityManager em;

  TeamRetentionRepository(EntityManager em) {
    this.em = em;
  }

  /**
   * A team's retention.
   *
   * @param days days images are kept; null keeps them forever
   */
  public record Policy(
      String team, Integer days, boolean deleteApproved, OffsetDateTime updatedAt) {}

  public Optional<Policy> find(String team) {
    return Optional.ofNullable(em.find(TeamRetentionEntity.class, team))
        .map(TeamRetentionRepository::policy);
  }

  /** Sets the team's policy; needs the caller's transaction. */
  public Policy save(String team, Integer days, boolean deleteApproved) {
    TeamRetentionEntity e = em.find(TeamRetentionEntity.class, team);
    if (e == null) {
      e = new TeamRetentionEntity();
      e.team = team;
      e.days = days;
      e.deleteApproved = deleteApproved;
      e.updatedAt = OffsetDateTime.now();
      em.persist(e);
    } else {
      e.days = days;
      e.deleteApproved = deleteApproved;
      e.updatedAt = OffsetDateTime.now();
    }
    em.flush();
    return policy(e);
  }

  private static Policy policy(TeamRetentionEntity e) {
    return new Policy(e.team, e.days, e.deleteApproved, e.updatedAt);
  }
}
