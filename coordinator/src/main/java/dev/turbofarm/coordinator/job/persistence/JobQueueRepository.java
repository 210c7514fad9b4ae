package dev.turbofarm.coordinator.job.persistence;

import static dev.turbofarm.coordinator.job.persistence.JobStateSql.DISPATCHED;
import static dev.turbofarm.coordinator.job.persistence.JobStateSql.FAILED;
import static dev.turbofarm.coordinator.job.persistence.JobStateSql.QUEUED;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The queue's side of the {@code job} table: the dispatcher's claims ({@code FOR UPDATE SKIP
 * LOCKED}, so replicas never send one row twice at once), the DISPATCHED mark, and the leases that
 * heartbeats extend and the reaper expires. Leases are set and compared on the database's clock
 * only ({@code now()}); no worker's or coordinator's clock enters them.
 */
@ApplicationScoped
public class JobQueueRepository {
  private static final String INTERACTIVE =
      "SELECT id FROM job WHERE state = "
          + QUEUED
          + " AND priority > 0 ORDER BY priority DESC, created_at LIMIT ? FOR UPDATE SKIP LOCKED";

  private static final String IN_FLIGHT =
      "SELECT team, count(*) FROM job WHERE state = " + DISPATCHED + " GROUP BY team";

  /** Teams with queued work by a loose index scan: one index probe per team, not per row. */
  private static final String QUEUED_TEAMS =
      "WITH RECURSIVE t(team) AS ("
          + " (SELECT team FROM job WHERE state = "
          + QUEUED
          + " ORDER BY team LIMIT 1) UNION ALL SELECT (SELECT j.team FROM job j WHERE j.state = "
          + QUEUED
          + " AND j.team > t.team ORDER BY j.team LIMIT 1) FROM t WHERE t.team IS NOT NULL)"
          + " SELECT team FROM t WHERE team IS NOT NULL";

  private static final String TEAM_BULK =
      "SELECT id FROM job WHERE state = "
          + QUEUED
          + " AND team = ? AND priority <= 0"
          + " ORDER BY priority DESC, created_at LIMIT ? FOR UPDATE SKIP LOCKED";

  private static final String MESSAGES =
      "SELECT id, team, prompt, negative_prompt, profile, width, height, steps, guidance, seeds,"
          + " attempt, created_at, fallback_profile, fallback_width, fallback_height, fallback_steps,"
          + " model, priority FROM job WHERE id = ANY (?) ORDER BY priority DESC, created_at";

  private static final String MARK =
      // clock_timestamp(), not now(): the moment the broker had acknowledged, not the claim's start
      "UPDATE job SET state = "
          + DISPATCHED
          + ", attempt = attempt + 1, dispatched_at = clock_timestamp(),"
          + " lease_until = now() + ? * interval '1 millisecond', worker_id = NULL"
          + " WHERE id = ANY (?)";

  /**
   * The rows a poll of heartbeats will extend, locked in id order (the lock order of every writer
   * of several job rows, docs/architecture.md): DISPATCHED jobs whose worker changes, or whose
   * lease ends within the given time. A lease with more left than that is not rewritten: a job held
   * for a long batch costs an update every few heartbeats, not every one.
   */
  private static final String LOCK_TO_EXTEND =
      "SELECT j.id FROM job j JOIN unnest(?::uuid[], ?::text[]) AS c(id, worker) ON c.id = j.id"
          + " WHERE j.state = "
          + DISPATCHED
          + " AND (j.worker_id IS DISTINCT FROM c.worker"
          + " OR j.lease_until < now() + ?::bigint * interval '1 millisecond')"
          + " ORDER BY j.id FOR NO KEY UPDATE OF j";

  /**
   * The first heartbeat naming a dispatched job replaces its dispatch lease (long: time to reach a
   * worker) with the short worker lease; later ones only extend it. From now(), the database's
   * clock, which the reaper compares with: never from the heartbeat's own time (the worker's
   * clock), which may be minutes off. One statement for a whole poll, on the rows locked before.
   */
  private static final String EXTEND =
      "UPDATE job j SET lease_until = CASE WHEN j.worker_id IS NULL THEN x.until"
          + " ELSE greatest(j.lease_until, x.until) END, worker_id = c.worker"
          + " FROM unnest(?::uuid[], ?::text[]) AS c(id, worker),"
          + " (SELECT now() + ?::bigint * interval '1 millisecond' AS until) x"
          + " WHERE j.id = c.id AND j.id = ANY (?) AND j.state = "
          + DISPATCHED;

  private static final String REAP =
      // attempts_refunded: attempts a quarantined worker's failures used, given back (V53).
      "UPDATE job SET state = CASE WHEN attempt >= ? + attempts_refunded THEN "
          + FAILED
          + " ELSE "
          + QUEUED
          + " END, completed_at = CASE WHEN attempt >= ? + attempts_refunded THEN now() END,"
          + " reason = 'no result from worker ' || coalesce(worker_id, '(none took it)')"
          + "   || ' before its lease ran out (attempt ' || attempt || ' of ' || ? || ')',"
          + " lease_until = NULL"
          + " WHERE id IN (SELECT id FROM job WHERE state = "
          + DISPATCHED
          + " AND lease_until < now() ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED)"
          + " RETURNING id, state, attempt, worker_id";

  private final AgroalDataSource ds;

  JobQueueRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /**
   * Losing this transaction's commit in a crash only reverts its jobs to QUEUED (sent again,
   * results are idempotent), so it need not wait for the WAL flush. Only inside a transaction.
   */
  public void relaxCommitDurability() {
    DatabaseFailures.withConnection(
        ds,
        "relax commit durability",
        c -> {
          try (Statement s = c.createStatement()) {
            return s.execute("SET LOCAL synchronous_commit = off");
          }
        });
  }

  /** Locks and returns up to {@code limit} QUEUED interactive jobs (priority above 0), in order. */
  public List<UUID> lockInteractive(int limit) {
    return ids("claim interactive jobs", INTERACTIVE, null, limit);
  }

  /** Locks and returns up to {@code limit} QUEUED bulk jobs of the team, oldest first. */
  public List<UUID> lockTeamBulk(String team, int limit) {
    return ids("claim bulk jobs of team " + team, TEAM_BULK, team, limit);
  }

  /** DISPATCHED jobs per team. */
  public Map<String, Long> inFlightByTeam() {
    return DatabaseFailures.withConnection(
        ds,
        "count jobs in flight",
        c -> {
          Map<String, Long> out = new LinkedHashMap<>();
          try (PreparedStatement ps = c.prepareStatement(IN_FLIGHT);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), rs.getLong(2));
            }
          }
          return out;
        });
  }

  /** Teams with QUEUED jobs, in name order. */
  public List<String> teamsWithQueued() {
    return DatabaseFailures.withConnection(
        ds,
        "list teams with queued jobs",
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(QUEUED_TEAMS);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  /**
   * The messages that dispatch these (claimed) jobs as their next attempt, in dispatch order.
   *
   * @param dispatchedAtMs the dispatch time the messages carry, ms since the epoch
   */
  public List<JobMessage> messages(List<UUID> ids, long dispatchedAtMs) {
    return DatabaseFailures.withConnection(
        ds,
        "read " + ids.size() + " claimed jobs",
        c -> {
          List<JobMessage> jobs = new ArrayList<>(ids.size());
          try (PreparedStatement ps = c.prepareStatement(MESSAGES)) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                jobs.add(message(rs, dispatchedAtMs));
              }
            }
          }
          return jobs;
        });
  }

  /** DISPATCHED, next attempt, lease of {@code leaseMs} from now (the database's clock). */
  public void markDispatched(List<UUID> ids, long leaseMs) {
    DatabaseFailures.withConnection(
        ds,
        "mark " + ids.size() + " jobs dispatched",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(MARK)) {
            ps.setLong(1, leaseMs);
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Extends the leases of the DISPATCHED jobs each heartbeat says its worker holds, to {@code
   * leaseMs} from now by the database's clock: the rows are locked in id order, then updated in one
   * statement. A lease with more than two thirds of {@code leaseMs} left stays as it is.
   *
   * @return how many leases changed
   */
  public int extendLeases(List<LeaseClaim> claims, long leaseMs) {
    List<UUID> jobIds = new ArrayList<>();
    List<String> workerIds = new ArrayList<>();
    for (LeaseClaim claim : claims) {
      for (UUID id : claim.jobIds()) {
        jobIds.add(id);
        workerIds.add(claim.workerId());
      }
    }
    if (jobIds.isEmpty()) {
      return 0;
    }
    return DatabaseFailures.withConnection(
        ds,
        "extend the leases of " + claims.size() + " workers",
        c -> {
          java.sql.Array ids = c.createArrayOf("uuid", jobIds.toArray());
          java.sql.Array workers = c.createArrayOf("text", workerIds.toArray());
          List<UUID> locked = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(LOCK_TO_EXTEND)) {
            ps.setArray(1, ids);
            ps.setArray(2, workers);
            ps.setLong(3, leaseMs * 2 / 3);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                locked.add(rs.getObject(1, UUID.class));
              }
            }
          }
          if (locked.isEmpty()) {
            return 0;
          }
          try (PreparedStatement ps = c.prepareStatement(EXTEND)) {
            ps.setArray(1, ids);
            ps.setArray(2, workers);
            ps.setLong(3, leaseMs);
            ps.setArray(4, c.createArrayOf("uuid", locked.toArray()));
            return ps.executeUpdate();
          }
        });
  }

  /** A worker's word that it holds these jobs. */
  public record LeaseClaim(String workerId, List<UUID> jobIds) {}

  /**
   * Re-queues, or fails when out of attempts, up to {@code limit} DISPATCHED jobs whose lease ran
   * out; concurrent reapers skip each other's rows.
   */
  public List<Expired> reapExpired(int maxAttempts, int limit) {
    return DatabaseFailures.withConnection(
        ds,
        "re-queue jobs with expired leases",
        c -> {
          List<Expired> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(REAP)) {
            ps.setInt(1, maxAttempts);
            ps.setInt(2, maxAttempts);
            ps.setInt(3, maxAttempts);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Expired(
                        rs.getObject("id", UUID.class),
                        JobState.valueOf(rs.getString("state")),
                        rs.getInt("attempt"),
                        rs.getString("worker_id")));
              }
            }
          }
          return out;
        });
  }

  /**
   * A job whose lease ran out.
   *
   * @param state QUEUED again, or FAILED when its attempts were used up
   * @param workerId the worker that last held it; null when none reported it
   */
  public record Expired(UUID id, JobState state, int attempt, String workerId) {}

  private List<UUID> ids(String what, String sql, String team, int limit) {
    return DatabaseFailures.withConnection(
        ds,
        what,
        c -> {
          List<UUID> ids = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (team != null) {
              ps.setString(i++, team);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
              }
            }
          }
          return ids;
        });
  }

  private static JobMessage message(ResultSet rs, long dispatchedAtMs) throws SQLException {
    String fallback = rs.getString("fallback_profile");
    return new JobMessage(
        JobMessage.SCHEMA,
        rs.getObject("id", UUID.class),
        // The attempt this dispatch starts; MARK raises the row's count to it.
        rs.getInt("attempt") + 1,
        rs.getString("team"),
        rs.getString("prompt"),
        rs.getString("negative_prompt"),
        rs.getString("profile"),
        rs.getInt("width"),
        rs.getInt("height"),
        rs.getInt("steps"),
        rs.getDouble("guidance"),
        Arrays.asList((Long[]) rs.getArray("seeds").getArray()),
        rs.getTimestamp("created_at").getTime(),
        dispatchedAtMs,
        fallback == null
            ? null
            : new JobMessage.Fallback(
                fallback,
                rs.getInt("fallback_width"),
                rs.getInt("fallback_height"),
                rs.getInt("fallback_steps")),
        // Null only for a job queued before jobs named models: the dispatcher fills the default.
        rs.getString("model"),
        rs.getInt("priority"));
  }
}
