package dev.turbofarm.coordinator.team.service;

import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.Roles;
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

  /** The teams {@code caller} may read: every team for an admin, else its own and granted ones. */
  public static TeamScope readableBy(Caller caller) {
    return caller.isAdmin() ? ALL : of(caller.teams());
  }

  /**
   * The teams {@code caller} may change (derive jobs in, review, set pools of): every team for an
   * admin, its own for a submitter, none for an analyst.
   */
  public static TeamScope writableBy(Caller caller) {
    if (caller.isAdmin()) {
      return ALL;
    }
    return Roles.SUBMITTER.equals(caller.role()) ? of(Set.of(caller.team())) : of(Set.of());
  }

  /**
   * The teams a list shows ({@code GET /api/v1/jobs}, {@code /batches}): without {@code requested}
   * an admin's own team and everyone else's readable teams; {@code all} every team for an admin
   * (the readable ones for others); a team name that team, with the 404 an unknown team gets when
   * the caller may not read it.
   */
  public static TeamScope listedBy(Caller caller, String requested) {
    if (requested == null || requested.isBlank()) {
      return caller.isAdmin() ? of(Set.of(caller.team())) : readableBy(caller);
    }
    if (requested.trim().equalsIgnoreCase("all")) {
      return readableBy(caller);
    }
    caller.requireReadableTeam(requested.trim());
    return of(Set.of(requested.trim()));
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
