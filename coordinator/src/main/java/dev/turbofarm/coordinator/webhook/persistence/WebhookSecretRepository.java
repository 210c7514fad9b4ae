package dev.turbofarm.coordinator.webhook.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The {@code team_webhook_secret} table, through Hibernate ORM. Callers bring the transaction
 * ({@code Transactional} on the service method).
 */
@ApplicationScoped
public class WebhookSecretRepository {
  private final EntityManager em;

  WebhookSecretRepository(EntityManager em) {
    this.em = em;
  }

  /**
   * A team's secret and when it was last set.
   *
   * @param updatedAt when it was made, set or rotated (the database's clock)
   */
  public record TeamSecret(String team, String secret, OffsetDateTime updatedAt) {}

  public Optional<TeamSecret> find(String team) {
    WebhookSecretEntity e = em.find(WebhookSecretEntity.class, team);
    return e == null ? Optional.empty() : Optional.of(of(e));
  }

  /**
   * Stores {@code secret} as the team's unless it has one (another replica may make the first one
   * at the same moment); returns the one that is stored.
   */
  public TeamSecret insertIfAbsent(String team, String secret) {
    em.createNativeQuery(
            "INSERT INTO team_webhook_secret (team, secret) VALUES (?1, ?2)"
                + " ON CONFLICT (team) DO NOTHING")
        .setParameter(1, team)
        .setParameter(2, secret)
        .executeUpdate();
    return find(team).orElseThrow();
  }

  /** Sets the team's secret, made or replaced. */
  public TeamSecret upsert(String team, String secret) {
    em.createNativeQuery(
            "INSERT INTO team_webhook_secret (team, secret) VALUES (?1, ?2)"
                + " ON CONFLICT (team) DO UPDATE SET secret = EXCLUDED.secret, updated_at = now()")
        .setParameter(1, team)
        .setParameter(2, secret)
        .executeUpdate();
    em.clear();
    return find(team).orElseThrow();
  }

  private static TeamSecret of(WebhookSecretEntity e) {
    return new TeamSecret(e.team, e.secret, e.updatedAt);
  }
}
