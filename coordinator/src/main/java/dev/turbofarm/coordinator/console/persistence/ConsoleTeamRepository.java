package dev.turbofarm.coordinator.console.persistence;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The teams that have jobs, for the console's team links: a skip scan of {@code
 * job_team_created_idx} (V60), one index probe per team, however many jobs each team has.
 */
@ApplicationScoped
public class ConsoleTeamRepository {
  /** Most teams listed, teams: the links are a shortcut; the team field takes any name. */
  public static final int MAX_TEAMS = 100;

  private static final String TEAMS =
      "WITH RECURSIVE t(team) AS ("
          + " (SELECT team FROM job ORDER BY team LIMIT 1)"
          + " UNION ALL"
          + " SELECT (SELECT j.team FROM job j WHERE j.team > t.team ORDER BY j.team LIMIT 1)"
          + " FROM t WHERE t.team IS NOT NULL)"
          + " SELECT team FROM t WHERE team IS NOT NULL LIMIT ?";

  private final AgroalDataSource ds;

  ConsoleTeamRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Teams with at least one job, by name, at most {@link #MAX_TEAMS}. */
  public List<String> teamsWithJobs() {
    return DatabaseFailures.withConnection(
        ds,
        "list the teams that have jobs",
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(TEAMS)) {
            ps.setInt(1, MAX_TEAMS);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
          }
          return out;
        });
  }
}
