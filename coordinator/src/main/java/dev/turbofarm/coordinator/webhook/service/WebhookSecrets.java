package dev.turbofarm.coordinator.webhook.service;

import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.webhook.persistence.WebhookSecretRepository;
import dev.turbofarm.coordinator.webhook.persistence.WebhookSecretRepository.TeamSecret;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;

/**
 * Each team's webhook signing secret: made at random the first time the team's webhook is signed,
 * set or rotated by an admin. Receivers verify with it ({@link WebhookSignature}).
 */
@ApplicationScoped
public class WebhookSecrets {
  private final WebhookSecretRepository repository;

  WebhookSecrets(WebhookSecretRepository repository) {
    this.repository = repository;
  }

  /**
   * A team's secret.
   *
   * @param updatedAt when it was made, set or rotated
   */
  public record Secret(String team, String secret, OffsetDateTime updatedAt) {}

  /** The team's secret, made now when it has none. */
  @Transactional
  public Secret of(String team) {
    checkTeam(team);
    return secret(
        repository
            .find(team)
            .orElseGet(() -> repository.insertIfAbsent(team, WebhookSignature.newSecret())));
  }

  /**
   * Sets the team's secret: the given one, or a new random one when null (rotation).
   *
   * @throws InvalidInputProblem naming {@code secret} when it is not a Standard Webhooks secret
   */
  @Transactional
  public Secret set(String team, String secret) {
    checkTeam(team);
    String s = secret == null ? WebhookSignature.newSecret() : secret;
    try {
      WebhookSignature.key(s);
    } catch (IllegalArgumentException e) {
      throw InvalidInputProblem.of("secret", e.getMessage());
    }
    return secret(repository.upsert(team, s));
  }

  private static void checkTeam(String team) {
    if (!JobRules.isTeamName(team)) {
      throw InvalidInputProblem.of("team", JobRules.TEAM_RULE);
    }
  }

  private static Secret secret(TeamSecret t) {
    return new Secret(t.team(), t.secret(), t.updatedAt());
  }
}
