package dev.turbofarm.coordinator.worker.persistence;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@code worker_failure} table (V53): each retriable render failure with the worker that caused
 * it, counted for quarantine and given back to the jobs when the worker is quarantined.
 */
@ApplicationScoped
public class QuarantineRepository {
  private final AgroalDataSource ds;

  QuarantineRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Records that {@code workerId} failed this attempt of the job; a repeat changes nothing. */
  public void recordFailure(UUID jobId, int attempt, String workerId, String modelId) {
    DatabaseFailures.withConnection(
        ds,
        "record the failure of job " + jobId + " on worker " + workerId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO worker_failure (job_id, attempt, worker_id, model_id)"
                      + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, jobId);
            ps.setInt(2, attempt);
            ps.setString(3, workerId);
            ps.setString(4, modelId);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Jobs the worker failed within the last {@code windowMs} (failures not yet given back) that
   * failed on no other worker: a job that failed on another worker too is at fault itself (a poison
   * prompt, a size the model cannot render) and counts against neither; a job that failed on this
   * worker several times counts once.
   */
  public int recentFailures(String workerId, long windowMs) {
    return DatabaseFailures.withConnection(
        ds,
        "count the failures of worker " + workerId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(DISTINCT f.job_id) FROM worker_failure f WHERE f.worker_id = ?"
                      + " AND NOT f.refunded"
                      + " AND f.at > now() - ?::bigint * interval '1 millisecond'"
                      + " AND NOT EXISTS (SELECT 1 FROM worker_failure o WHERE o.job_id ="
                      + " f.job_id AND o.worker_id <> f.worker_id)")) {
            ps.setString(1, workerId);
            ps.setLong(2, windowMs);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

  /** The admin command in force for the worker; null for none (or a worker never seen). */
  public String control(String workerId) {
    return DatabaseFailures.withConnection(
        ds,
        "read the control of worker " + workerId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT control FROM worker WHERE id = ?")) {
            ps.setString(1, workerId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getString(1) : null;
            }
          }
        });
  }

  /**
   * Quarantines the worker unless it already is (another replica may have done it).
   *
   * @return whether this call quarantined it
   */
  public boolean quarantine(String workerId, String reason) {
    return DatabaseFailures.withConnection(
        ds,
        "quarantine worker " + workerId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE worker SET control = 'QUARANTINED', control_reason = ?,"
                      + " control_at = now() WHERE id = ?"
                      + " AND control IS DISTINCT FROM 'QUARANTINED'")) {
            ps.setString(1, reason);
            ps.setString(2, workerId);
            return ps.executeUpdate() > 0;
          }
        });
  }

  /** The jobs with failures of this worker not yet given back. */
  public List<UUID> unrefundedJobs(String workerId) {
    return DatabaseFailures.withConnection(
        ds,
        "list the jobs worker " + workerId + " failed",
        c -> {
          List<UUID> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT DISTINCT job_id FROM worker_failure WHERE worker_id = ? AND NOT"
                      + " refunded")) {
            ps.setString(1, workerId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getObject(1, UUID.class));
              }
            }
          }
          return out;
        });
  }

  /**
   * Gives the attempts the worker's failures used back to their jobs and re-queues those of them
   * that ended FAILED. The caller has locked the jobs' rows in id order (ADR 0015).
   *
   * @return the jobs given attempts back (finished ones included)
   */
  public int refund(String workerId, int maxAttempts) {
    return DatabaseFailures.withConnection(
        ds,
        "give back the attempts worker " + workerId + " used",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "WITH f AS (UPDATE worker_failure SET refunded = true WHERE worker_id = ?"
                      + " AND NOT refunded RETURNING job_id),"
                      + " n AS (SELECT job_id, count(*) AS c FROM f GROUP BY job_id)"
                      + " UPDATE job j SET attempts_refunded = j.attempts_refunded + n.c,"
                      + " state = CASE WHEN j.state = 'FAILED'"
                      + " AND j.attempt < ? + j.attempts_refunded + n.c THEN 'QUEUED'"
                      + " ELSE j.state END,"
                      + " completed_at = CASE WHEN j.state = 'FAILED'"
                      + " AND j.attempt < ? + j.attempts_refunded + n.c THEN NULL"
                      + " ELSE j.completed_at END,"
                      + " reason = CASE WHEN j.state IN ('FAILED', 'QUEUED') THEN"
                      + " 're-queued: its failures came from quarantined worker ' || ?"
                      + " ELSE j.reason END"
                      // A job that already succeeded elsewhere gets them back too: its
                      // attempt count then says what it really used.
                      + " FROM n WHERE j.id = n.job_id"
                      + " RETURNING j.state")) {
            ps.setString(1, workerId);
            ps.setInt(2, maxAttempts);
            ps.setInt(3, maxAttempts);
            ps.setString(4, workerId);
            int jobs = 0;
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                jobs++;
              }
            }
            return jobs;
          }
        });
  }
}
