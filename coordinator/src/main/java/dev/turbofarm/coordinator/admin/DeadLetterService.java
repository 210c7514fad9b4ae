package dev.turbofarm.coordinator.admin;

import dev.turbofarm.coordinator.error.ConflictProblem;
import dev.turbofarm.coordinator.job.service.JobNotFoundException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The dead-letter list (FAILED jobs) and replay, which gives a job a fresh set of attempts. */
@ApplicationScoped
public class DeadLetterService {
  private static final Logger LOG = Logger.getLogger(DeadLetterService.class);

  private final AgroalDataSource ds;

  DeadLetterService(AgroalDataSource ds) {
    this.ds = ds;
  }

  public List<DeadLetterView> list(int limit) throws SQLException {
    List<DeadLetterView> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, team, prompt, profile, width, height, attempt, reason, worker_id,"
                    + " created_at, completed_at FROM job WHERE state = 'FAILED'"
                    + " ORDER BY completed_at DESC LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new DeadLetterView(
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
    }
    return out;
  }

  /**
   * Puts a FAILED job back in the queue with its attempts reset; images already recorded stay.
   *
   * @throws JobNotFoundException for an unknown id
   * @throws NotDeadLetterException when the job exists but has not failed
   */
  public void replay(UUID id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE job SET state = 'QUEUED', attempt = 0, reason = NULL, completed_at = NULL,"
                    + " lease_until = NULL, worker_id = NULL WHERE id = ? AND state = 'FAILED'"
                    + " RETURNING id")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          LOG.infof("dead letter %s replayed: back in the queue with fresh attempts", id);
          return;
        }
      }
      try (PreparedStatement q = c.prepareStatement("SELECT state FROM job WHERE id = ?")) {
        q.setObject(1, id);
        try (ResultSet rs = q.executeQuery()) {
          if (!rs.next()) {
            throw new JobNotFoundException(id);
          }
          throw new NotDeadLetterException(id, rs.getString(1));
        }
      }
    }
  }

  /** Replay of a job that is not in the dead-letter list: a 409. */
  public static final class NotDeadLetterException extends ConflictProblem {
    public NotDeadLetterException(UUID id, String state) {
      super("job " + id + " is " + state + ", not FAILED; only dead letters can be replayed");
    }
  }
}
