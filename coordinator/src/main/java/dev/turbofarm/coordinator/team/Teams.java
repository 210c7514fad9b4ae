package dev.turbofarm.coordinator.team;

import dev.turbofarm.coordinator.config.FarmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Per-team fair-share weights and queue quotas, from {@code turbofarm.teams.*}. */
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
   * Checks, inside the caller's transaction, that {@code adding} more jobs keep the team within its
   * quota.
   *
   * @throws QuotaExceededException when they would not
   */
  public void checkQuota(Connection c, String team, long adding) throws SQLException {
    checkQuota(team, lockAndCountQueued(c, team), adding);
  }

  /** Throws when {@code queued + adding} is past the team's quota. */
  public void checkQuota(String team, long queued, long adding) {
    long quota = maxQueued(team);
    if (queued + adding > quota) {
      throw new QuotaExceededException(team, queued, adding, quota);
    }
  }

  /**
   * The team's QUEUED jobs, after taking a transaction-scoped advisory lock per team, so two
   * concurrent submissions of one team cannot both pass on the same count.
   */
  public long lockAndCountQueued(Connection c, String team) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('turbofarm.quota.' || ?))")) {
      lock.setString(1, team);
      lock.execute();
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT count(*) FROM job WHERE state = 'QUEUED' AND team = ?")) {
      ps.setString(1, team);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
