package dev.turbofarm.coordinator.job.persistence;

import static dev.turbofarm.coordinator.job.persistence.JobStateSql.CANCELLED;
import static dev.turbofarm.coordinator.job.persistence.JobStateSql.DISPATCHED;
import static dev.turbofarm.coordinator.job.persistence.JobStateSql.FAILED;
import static dev.turbofarm.coordinator.job.persistence.JobStateSql.QUEUED;

import dev.turbofarm.common.job.JobSpec;
import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.seed.Derivation;
import dev.turbofarm.common.seed.Lineage;
import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code job} table's SQL for a job's life: intake, reads, the per-team quota count, results,
 * replay, cancellation and the per-batch and dead-letter reads. The queue's side of the same table
 * (claims, dispatch, leases) is {@link JobQueueRepository}; no other class writes SQL on {@code
 * job}. Plain JDBC: COPY, advisory locks and array parameters make the hot paths fast. Inside a
 * {@code @Transactional} caller every method runs on the transaction's connection.
 */
@ApplicationScoped
public class JobRepository {
  /** The columns {@link #row} reads; {@link JobListRepository} selects the same. */
  static final String COLUMNS =
      "id, team, state, reason, prompt, negative_prompt, profile, width, height, steps, guidance,"
          + " image_count, seeds, attempt, fallback_profile, worker_id, created_at, dispatched_at,"
          + " completed_at, model, step_profile, parent_job_id, parent_idx, derivation, batch_id";

  private static final String INSERT =
      "INSERT INTO job (id, team, state, prompt, negative_prompt, profile, width, height, steps,"
          + " guidance, seeds, image_count, priority, fallback_profile, fallback_width,"
          + " fallback_height, fallback_steps, model, step_profile, parent_job_id, parent_idx,"
          + " derivation) VALUES (?, ?, "
          + QUEUED
          + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING created_at";

  /**
   * Re-queue (retriable, attempts left) or fail; only the live attempt may. A fast worker can
   * report before the dispatcher's transaction that sent the attempt has committed: then the row
   * still reads QUEUED at the attempt before, locked by the dispatcher, and this update waits for
   * that commit and re-checks the row as DISPATCHED at this attempt.
   */
  private static final String FAIL_ATTEMPT =
      // attempts_refunded: attempts a quarantined worker's failures used, given back (V53).
      "UPDATE job SET state = CASE WHEN ? AND attempt < ? + attempts_refunded THEN "
          + QUEUED
          + " ELSE "
          + FAILED
          + " END, completed_at = CASE WHEN ? AND attempt < ? + attempts_refunded THEN NULL"
          + " ELSE now() END,"
          + " reason = ?, lease_until = NULL"
          + " WHERE id = ? AND ((state = "
          + DISPATCHED
          + " AND attempt = ?) OR (state = "
          + QUEUED
          + " AND attempt = ? - 1)) RETURNING state";

  /**
   * SUCCEEDED for every job of the list whose images are all in: one statement for a whole poll,
   * the images counted per job by one GROUP BY over the image table's primary key.
   */
  private static final String COMPLETE =
      // clock_timestamp(): when the row was updated, after any wait for the dispatcher's commit
      "UPDATE job j SET state = "
          + JobStateSql.SUCCEEDED
          + ", completed_at = clock_timestamp(), reason = NULL, lease_until = NULL"
          + " FROM (SELECT job_id, count(*) AS n FROM image WHERE job_id = ANY (?)"
          + " GROUP BY job_id) c"
          + " WHERE j.id = c.job_id AND j.state IN ("
          + QUEUED
          + ", "
          + DISPATCHED
          + ") AND j.image_count = c.n";

  /**
   * Locks a batch's QUEUED jobs in id order (ADR 0015) before {@link #CANCEL_QUEUED} changes them.
   * SKIP LOCKED: a job the dispatcher is sending at this instant is left to it; the UPDATE then
   * waits for that send to commit and finds the job DISPATCHED, so it renders.
   */
  private static final String LOCK_QUEUED_OF_BATCH =
      "SELECT id FROM job WHERE batch_id = ? AND state = "
          + QUEUED
          + " ORDER BY id FOR NO KEY UPDATE SKIP LOCKED";

  /**
   * CANCELLED for a batch's QUEUED jobs, after {@link #LOCK_QUEUED_OF_BATCH}. Two single-table
   * statements rather than one joining the locked ids to the table: right after a 100,000-row
   * intake the statistics still say the table is nearly empty, and every join form tried (a CTE,
   * {@code IN (SELECT ...)}, {@code = ANY (ARRAY(...))}) was planned as every queued job compared
   * with every locked id, over 60 s on the CPU; these two are linear whatever the plan.
   */
  private static final String CANCEL_QUEUED =
      "UPDATE job SET state = "
          + CANCELLED
          + ", reason = 'batch cancelled', completed_at = now() WHERE batch_id = ? AND state = "
          + QUEUED;

  /**
   * The jobs results name, locked FOR NO KEY UPDATE until the recording transaction ends: a
   * dispatcher that is sending one of them (FOR UPDATE) is waited for, so a fast worker's result is
   * checked against the attempt it was sent with. The recording transaction updates these rows
   * later (failures, completion): taking the strong lock first, in id order like every writer of
   * several job rows, means no lock is upgraded midway, which deadlocked with heartbeats' lease
   * extensions under load (ADR 0015).
   */
  private static final String RESULT_TARGETS =
      "SELECT id, state, attempt, image_count, seeds, width, height, steps, guidance,"
          + " fallback_profile, fallback_width, fallback_height, fallback_steps"
          + " FROM job WHERE id = ANY (?) ORDER BY id FOR NO KEY UPDATE";

  private final AgroalDataSource ds;

  JobRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Stores a QUEUED job; returns its {@code created_at} (the database's clock). */
  public OffsetDateTime insert(UUID id, JobSpec spec, int priority) {
    return insert(id, spec, priority, null);
  }

  /**
   * Stores a QUEUED job derived from another image (null {@code lineage}: from none); returns its
   * {@code created_at} (the database's clock).
   */
  public OffsetDateTime insert(UUID id, JobSpec spec, int priority, Lineage lineage) {
    return DatabaseFailures.withConnection(
        ds,
        "store job " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            int i = 1;
            ps.setObject(i++, id);
            ps.setString(i++, spec.team());
            ps.setString(i++, spec.prompt());
            ps.setString(i++, spec.negativePrompt());
            ps.setString(i++, spec.profile());
            ps.setInt(i++, spec.width());
            ps.setInt(i++, spec.height());
            ps.setInt(i++, spec.steps());
            ps.setDouble(i++, spec.guidance());
            ps.setArray(i++, c.createArrayOf("bigint", spec.seeds().toArray()));
            ps.setInt(i++, spec.count());
            ps.setInt(i++, priority);
            boolean fallback = spec.fallback() != null;
            ps.setString(i++, fallback ? spec.fallback().name() : null);
            ps.setObject(i++, fallback ? spec.fallback().width() : null, Types.INTEGER);
            ps.setObject(i++, fallback ? spec.fallback().height() : null, Types.INTEGER);
            ps.setObject(i++, fallback ? spec.fallback().steps() : null, Types.INTEGER);
            ps.setString(i++, spec.model());
            ps.setString(i++, spec.stepProfile());
            ps.setObject(i++, lineage == null ? null : lineage.parentJobId());
            ps.setObject(i++, lineage == null ? null : lineage.parentIndex(), Types.INTEGER);
            ps.setString(i, lineage == null ? null : lineage.derivation().value());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getObject(1, OffsetDateTime.class);
            }
          }
        });
  }

  /**
   * Starts a COPY of a catalogue's jobs in the caller's transaction; see {@link JobCopy#open}. The
   * writer holds the connection until {@link JobCopy.Writer#finish} or {@link
   * JobCopy.Writer#cancel}.
   */
  public JobCopy.Writer openCopy(UUID batchId, int priority, Instant createdAt) {
    Connection c = DatabaseFailures.connect(ds);
    try {
      return JobCopy.open(c, batchId, priority, createdAt);
    } catch (SQLException e) {
      closeQuietly(c);
      throw DatabaseFailures.translate("start the COPY of batch " + batchId, e);
    }
  }

  public Optional<JobRow> find(UUID id) {
    return DatabaseFailures.withConnection(
        ds,
        "read job " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM job WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
          }
        });
  }

  /**
   * The team's QUEUED jobs, after taking a transaction-scoped advisory lock per team, so two
   * concurrent submissions of one team cannot both pass a quota on the same count. Needs the
   * caller's transaction: the lock is held until it ends.
   */
  public long lockAndCountQueued(String team) {
    return DatabaseFailures.withConnection(
        ds,
        "count the queued jobs of team " + team,
        c -> {
          try (PreparedStatement lock =
              c.prepareStatement(
                  "SELECT pg_advisory_xact_lock(hashtext('turbofarm.quota.' || ?))")) {
            lock.setString(1, team);
            lock.execute();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(*) FROM job WHERE state = " + QUEUED + " AND team = ?")) {
            ps.setString(1, team);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /**
   * The jobs these results are for, locked until the caller's transaction ends (see {@link
   * #RESULT_TARGETS}); an unknown id is absent from the map.
   */
  public Map<UUID, ResultTarget> lockResultTargets(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return DatabaseFailures.withConnection(
        ds,
        "read the " + ids.size() + " jobs of a poll of results",
        c -> {
          Map<UUID, ResultTarget> out = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement(RESULT_TARGETS)) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                UUID id = rs.getObject("id", UUID.class);
                out.put(
                    id,
                    new ResultTarget(
                        id,
                        JobState.valueOf(rs.getString("state")),
                        rs.getInt("attempt"),
                        rs.getInt("image_count"),
                        Arrays.asList((Long[]) rs.getArray("seeds").getArray()),
                        rs.getInt("width"),
                        rs.getInt("height"),
                        rs.getInt("steps"),
                        rs.getDouble("guidance"),
                        rs.getString("fallback_profile"),
                        rs.getInt("fallback_width"),
                        rs.getInt("fallback_height"),
                        rs.getInt("fallback_steps")));
              }
            }
          }
          return out;
        });
  }

  /** Jobs in one state, all teams. */
  public long count(JobState state) {
    return DatabaseFailures.withConnection(
        ds,
        "count " + state + " jobs",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT count(*) FROM job WHERE state = " + JobStateSql.literal(state));
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /**
   * Fails the job's live attempt: back to QUEUED when {@code retriable} and attempts are left, else
   * FAILED with {@code reason}.
   *
   * @return the job's new state; empty when {@code attempt} is not its live attempt (stale)
   */
  public Optional<JobState> failAttempt(
      UUID id, int attempt, boolean retriable, int maxAttempts, String reason) {
    return DatabaseFailures.withConnection(
        ds,
        "record the failure of job " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(FAIL_ATTEMPT)) {
            ps.setBoolean(1, retriable);
            ps.setInt(2, maxAttempts);
            ps.setBoolean(3, retriable);
            ps.setInt(4, maxAttempts);
            ps.setString(5, reason);
            ps.setObject(6, id);
            ps.setInt(7, attempt);
            ps.setInt(8, attempt);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(JobState.valueOf(rs.getString(1))) : Optional.empty();
            }
          }
        });
  }

  /**
   * Locks these jobs' rows in id order for the caller's transaction ({@code FOR NO KEY UPDATE}); a
   * writer of several rows calls it before it changes any of them (ADR 0015). Waits for a
   * dispatcher that still holds one of them (it never waits itself, so no cycle forms).
   */
  public void lockInIdOrder(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return;
    }
    DatabaseFailures.withConnection(
        ds,
        "lock " + ids.size() + " jobs",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id FROM job WHERE id = ANY (?) ORDER BY id FOR NO KEY UPDATE")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
              int n = 0;
              while (rs.next()) {
                n++;
              }
              return n;
            }
          }
        });
  }

  /**
   * Marks SUCCEEDED each of these jobs whose images are all recorded; a terminal job stays.
   *
   * @return the jobs that turned SUCCEEDED
   */
  public int completeIfRendered(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    return DatabaseFailures.withConnection(
        ds,
        "complete " + ids.size() + " jobs",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            return ps.executeUpdate();
          }
        });
  }

  /** Puts a FAILED job back in the queue with fresh attempts; false when it is not FAILED. */
  public boolean requeueFailed(UUID id) {
    return DatabaseFailures.withConnection(
        ds,
        "replay job " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE job SET state = "
                      + QUEUED
                      + ", attempt = 0, reason = NULL, completed_at = NULL, lease_until = NULL,"
                      + " worker_id = NULL WHERE id = ? AND state = "
                      + FAILED)) {
            ps.setObject(1, id);
            return ps.executeUpdate() > 0;
          }
        });
  }

  /** The job's state; empty for an unknown id. */
  public Optional<JobState> stateOf(UUID id) {
    return DatabaseFailures.withConnection(
        ds,
        "read the state of job " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT state FROM job WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(JobState.valueOf(rs.getString(1))) : Optional.empty();
            }
          }
        });
  }

  /** CANCELLED for every QUEUED job of the batch; returns how many. */
  public int cancelQueued(UUID batchId) {
    return DatabaseFailures.withConnection(
        ds,
        "cancel the queued jobs of batch " + batchId,
        c -> {
          try (PreparedStatement lock = c.prepareStatement(LOCK_QUEUED_OF_BATCH);
              PreparedStatement cancel = c.prepareStatement(CANCEL_QUEUED)) {
            lock.setObject(1, batchId);
            lock.setFetchSize(0);
            try (java.sql.ResultSet rs = lock.executeQuery()) {
              while (rs.next()) {
                // The rows are locked as they are read; nothing else to do with them.
              }
            }
            cancel.setObject(1, batchId);
            return cancel.executeUpdate();
          }
        });
  }

  /**
   * CANCELLED for one job while it is QUEUED. A dispatcher holding the row at this moment is waited
   * for, and then the job is no longer QUEUED and stays as it is.
   *
   * @return whether it was cancelled; false when it was in another state or does not exist
   */
  public boolean cancelIfQueued(UUID id, String reason) {
    return DatabaseFailures.withConnection(
        ds,
        "cancel job " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE job SET state = "
                      + CANCELLED
                      + ", reason = ?, completed_at = now() WHERE id = ? AND state = "
                      + QUEUED)) {
            ps.setString(1, reason);
            ps.setObject(2, id);
            return ps.executeUpdate() > 0;
          }
        });
  }

  /** FAILED jobs, the most recently failed first. */
  public List<DeadLetterRow> failed(int limit) {
    return DatabaseFailures.withConnection(
        ds,
        "list dead letters",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, team, prompt, profile, width, height, attempt, reason, worker_id,"
                      + " created_at, completed_at FROM job WHERE state = "
                      + FAILED
                      + " ORDER BY completed_at DESC LIMIT ?")) {
            ps.setInt(1, limit);
            List<DeadLetterRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new DeadLetterRow(
                        rs.getObject("id", UUID.class),
                        rs.getString("team"),
                        rs.getString("prompt"),
                        rs.getString("profile"),
                        rs.getInt("width"),
                        rs.getInt("height"),
                        rs.getInt("attempt"),
                        rs.getString("reason"),
                        rs.getString("worker_id"),
                        rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("completed_at", OffsetDateTime.class)));
              }
            }
            return out;
          }
        });
  }

  /**
   * A batch's jobs per state, with their images in all and those that succeeded within the last
   * {@code windowS} seconds (the rate).
   */
  public List<StateCount> countsOfBatch(UUID batchId, int windowS) {
    return DatabaseFailures.withConnection(
        ds,
        "count the jobs of batch " + batchId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT state, count(*), sum(image_count), coalesce(sum(image_count) FILTER"
                      + " (WHERE state = "
                      + JobStateSql.SUCCEEDED
                      + " AND completed_at > now() - make_interval(secs => ?)), 0)"
                      + " FROM job WHERE batch_id = ? GROUP BY state")) {
            ps.setInt(1, windowS);
            ps.setObject(2, batchId);
            List<StateCount> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new StateCount(
                        JobState.valueOf(rs.getString(1)),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4)));
              }
            }
            return out;
          }
        });
  }

  static JobRow row(ResultSet rs) throws SQLException {
    return new JobRow(
        rs.getObject("id", UUID.class),
        rs.getString("team"),
        JobState.valueOf(rs.getString("state")),
        rs.getString("reason"),
        rs.getString("prompt"),
        rs.getString("negative_prompt"),
        rs.getString("profile"),
        rs.getInt("width"),
        rs.getInt("height"),
        rs.getInt("steps"),
        rs.getDouble("guidance"),
        rs.getInt("image_count"),
        Arrays.asList((Long[]) rs.getArray("seeds").getArray()),
        rs.getInt("attempt"),
        rs.getString("fallback_profile"),
        rs.getString("worker_id"),
        rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("dispatched_at", OffsetDateTime.class),
        rs.getObject("completed_at", OffsetDateTime.class),
        rs.getString("model"),
        rs.getString("step_profile"),
        lineage(rs),
        rs.getObject("batch_id", UUID.class));
  }

  private static Lineage lineage(ResultSet rs) throws SQLException {
    UUID parent = rs.getObject("parent_job_id", UUID.class);
    return parent == null
        ? null
        : new Lineage(parent, rs.getInt("parent_idx"), Derivation.of(rs.getString("derivation")));
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Already failing; the caller's transaction rolls back either way.
    }
  }
}
