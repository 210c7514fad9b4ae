package dev.turbofarm.coordinator.security.service;

import dev.turbofarm.coordinator.error.ForbiddenProblem;
import dev.turbofarm.coordinator.error.NotFoundProblem;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who is calling: an API key or an OIDC token, reduced to what the API decides on.
 *
 * @param id the key's id, or {@code oidc:<subject>} for a token
 * @param name who holds it (recorded in the audit trail)
 * @param role one of {@link Roles}
 * @param team the caller's own team: what it submits belongs to it
 * @param teams every team it may read: its own, plus an analyst's granted teams
 * @param rateLimit requests per second of this key, or null for the configured default
 */
public record Caller(
    String id, String name, String role, String team, Set<String> teams, Integer rateLimit) {

  public Caller {
    Set<String> all = new LinkedHashSet<>();
    all.add(team);
    all.addAll(teams);
    teams = Set.copyOf(all);
  }

  public Caller(String id, String name, String role, String team, Set<String> teams) {
    this(id, name, role, team, teams, null);
  }

  public boolean isAdmin() {
    return Roles.ADMIN.equals(role);
  }

  /** Whether the caller may see {@code team}'s jobs, batches, images and history. */
  public boolean canRead(String team) {
    return isAdmin() || teams.contains(team);
  }

  /** Whether the caller may submit and cancel for {@code team}. */
  public boolean canWrite(String team) {
    return isAdmin() || Roles.SUBMITTER.equals(role) && this.team.equals(team);
  }

  /**
   * The team a submission belongs to: the caller's own when {@code requested} is absent; another
   * team only for an admin.
   *
   * @param field the field or parameter that named it, for the 403's detail
   * @throws ForbiddenProblem when a non-admin names a team that is not its own
   */
  public String teamFor(String requested, String field) {
    if (requested == null || requested.isBlank() || requested.equals(team)) {
      return team;
    }
    if (isAdmin()) {
      return requested;
    }
    throw new ForbiddenProblem(
        field
            + ": is '"
            + requested
            + "', but this credential belongs to team '"
            + team
            + "'; leave it out or name your own team");
  }

  /**
   * For a path that names a team ({@code /teams/{team}/...}): fails unless the caller may read it,
   * with the same 404 an unknown team gets.
   *
   * @throws NotFoundProblem for a team the caller may not read
   */
  public void requireReadableTeam(String team) {
    if (!canRead(team)) {
      throw new NotFoundProblem("no team '" + team + "'");
    }
  }

  /**
   * For a path that names a team the caller changes something of: fails unless it may write for it,
   * with a 404 when it may not even read it and a 403 when it may read but not write (an analyst).
   */
  public void requireWritableTeam(String team) {
    requireReadableTeam(team);
    if (!canWrite(team)) {
      throw new ForbiddenProblem("a " + role + " credential may not change team '" + team + "'");
    }
  }
}
