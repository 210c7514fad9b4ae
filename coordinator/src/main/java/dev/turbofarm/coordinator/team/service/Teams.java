package dev.turbofarm.coordinator.team.service;

import dev.turbofarm.coordinator.config.FarmConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Per-team fair-share weights and queue quotas, from {@code turbofarm.teams.*}. The queued count a
 * quota is checked against comes from the caller, read under the team's lock in its transaction
 * ({@code JobRepository.lockAndCountQueued}).
 */
@ApplicationScoped
public class Teams {
  private final FarmConfig.Teams config;

  Teams(FarmConfig config) {
    this.config = config.teams();
  }

  /** The team's fair-share weight, at least 1. */
  public int weight(String team) {
    return Math.max(1, config.weights().getOrDefault(team, config.defaultWeight()));
  }

  /** The most QUEUED jobs the team may hold. */
  public long maxQueued(String team) {
    return config.maxQueued().getOrDefault(team, config.defaultMaxQueued());
  }

  /**
   * Throws when {@code queued + adding} is past the team's quota.
   *
   * @throws QuotaExceededException when it is
   */
  public void checkQuota(String team, long queued, long adding) {
    long quota = maxQueued(team);
    if (queued + adding > quota) {
      throw new QuotaExceededException(team, queued, adding, quota);
    }
  }
}
