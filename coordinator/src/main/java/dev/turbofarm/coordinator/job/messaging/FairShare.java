package dev.turbofarm.coordinator.job.messaging;

import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.team.Teams;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToIntFunction;

/**
 * Chooses which QUEUED rows the dispatcher sends next, and locks them ({@code FOR UPDATE SKIP
 * LOCKED}) in the caller's transaction. Interactive jobs (priority above 0) go first, whatever the
 * load. Bulk jobs go out only while fewer than {@code max-in-flight} jobs are DISPATCHED and
 * unfinished, and each free slot goes to the team whose in-flight jobs per unit of weight are
 * fewest (water-filling), so teams are served in proportion to their weights instead of first come,
 * first served. See docs/adr/0004-fair-share-by-in-flight-slots.md.
 */
@ApplicationScoped
public class FairShare {
  private static final String INTERACTIVE =
      "SELECT id FROM job WHERE state = 'QUEUED' AND priority > 0"
          + " ORDER BY priority DESC, created_at LIMIT ? FOR UPDATE SKIP LOCKED";

  private static final String IN_FLIGHT =
      "SELECT team, count(*) FROM job WHERE state = 'DISPATCHED' GROUP BY team";

  /** Teams with queued work by a loose index scan: one index probe per team, not per row. */
  private static final String QUEUED_TEAMS =
      "WITH RECURSIVE t(team) AS ("
          + " (SELECT team FROM job WHERE state = 'QUEUED' ORDER BY team LIMIT 1)"
          + " UNION ALL SELECT (SELECT j.team FROM job j WHERE j.state = 'QUEUED' AND j.team > t.team"
          + " ORDER BY j.team LIMIT 1) FROM t WHERE t.team IS NOT NULL)"
          + " SELECT team FROM t WHERE team IS NOT NULL";

  private static final String TEAM_BULK =
      "SELECT id FROM job WHERE state = 'QUEUED' AND team = ? AND priority <= 0"
          + " ORDER BY priority DESC, created_at LIMIT ? FOR UPDATE SKIP LOCKED";

  private final Teams teams;
  private final FarmConfig.Dispatcher config;

  FairShare(Teams teams, FarmConfig config) {
    this.teams = teams;
    this.config = config.dispatcher();
  }

  /** Locks and returns the ids of at most {@code limit} rows to send now. */
  List<UUID> claim(Connection c, int limit) throws SQLException {
    List<UUID> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(INTERACTIVE)) {
      ps.setInt(1, limit);
      collect(ps, ids);
    }
    Map<String, Long> inFlight = new HashMap<>();
    long total = 0;
    try (PreparedStatement ps = c.prepareStatement(IN_FLIGHT);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        inFlight.put(rs.getString(1), rs.getLong(2));
        total += rs.getLong(2);
      }
    }
    long free = Math.min(limit - ids.size(), config.maxInFlight() - total - ids.size());
    if (free <= 0) {
      return ids;
    }
    Map<String, Long> load = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(QUEUED_TEAMS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String team = rs.getString(1);
        load.put(team, inFlight.getOrDefault(team, 0L));
      }
    }
    // Rounds: a team that has fewer rows than its allotment drops out, its slots go to the rest.
    while (free > 0 && !load.isEmpty()) {
      Map<String, Integer> allot = allot(load, free, teams::weight);
      try (PreparedStatement ps = c.prepareStatement(TEAM_BULK)) {
        for (Map.Entry<String, Integer> e : allot.entrySet()) {
          ps.setString(1, e.getKey());
          ps.setInt(2, e.getValue());
          int got = collect(ps, ids);
          free -= got;
          if (got < e.getValue()) {
            load.remove(e.getKey());
          } else {
            load.merge(e.getKey(), (long) got, Long::sum);
          }
        }
      }
    }
    return ids;
  }

  /**
   * Water-filling: each of {@code slots} goes to the team with the fewest jobs in flight per unit
   * of weight (ties to the first listed, which is alphabetical).
   */
  static Map<String, Integer> allot(
      Map<String, Long> load, long slots, ToIntFunction<String> weight) {
    Map<String, Long> now = new LinkedHashMap<>(load);
    Map<String, Integer> allot = new LinkedHashMap<>();
    for (long s = 0; s < slots; s++) {
      String best = null;
      double bestShare = Double.MAX_VALUE;
      for (Map.Entry<String, Long> e : now.entrySet()) {
        double share = (e.getValue() + 1) / (double) weight.applyAsInt(e.getKey());
        if (share < bestShare) {
          bestShare = share;
          best = e.getKey();
        }
      }
      now.merge(best, 1L, Long::sum);
      allot.merge(best, 1, Integer::sum);
    }
    return allot;
  }

  private static int collect(PreparedStatement ps, List<UUID> ids) throws SQLException {
    int n = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getObject(1, UUID.class));
        n++;
      }
    }
    return n;
  }
}
