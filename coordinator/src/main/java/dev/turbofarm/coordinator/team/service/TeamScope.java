package dev.turbofarm.coordinator.team.service;

import java.util.Set;

/**
 * The teams a request may see: services filter by it and answer 404 for another team's object
 * (ownership is a 404, never a 403). {@link #all()} for a caller who sees every team.
 *
 * @param teams the visible teams; null for all
 */
public record TeamScope(Set<String> teams) {
  private static final TeamScope ALL = new TeamScope(null);

  public TeamScope {
    teams = teams == null ? null : Set.copyOf(teams);
  }

  /** Every team. */
  public static TeamScope all() {
    return ALL;
  }

  /** These teams only. */
  public static TeamScope of(Set<String> teams) {
    return new TeamScope(teams);
  }

  /** Whether every team is visible. */
  public boolean isAll() {
    return teams == null;
  }

  /** Whether {@code team}'s objects are visible. */
  public boolean sees(String team) {
    return teams == null || teams.contains(team);
  }
}
