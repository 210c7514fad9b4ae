package dev.turbofarm.coordinator.job.persistence;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import dev.turbofarm.coordinator.http.PageCursor;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code job} table's list reads: newest first, by keyset on {@code (created_at, id)} (index
 * {@code job_team_created_idx}, V60; a batch's jobs through {@code job_batch_order_idx}). Reads
 * only; {@link JobRepository} writes.
 */
@ApplicationScoped
public class JobListRepository {
  private final AgroalDataSource ds;

  JobListRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /**
   * Which jobs to list.
   *
   * @param teams the teams whose jobs to list; null for every team
   * @param exceptTeams teams whose jobs to leave out (empty for none)
   * @param states the states to keep; empty for all
   * @param batchId only this batch's jobs; null for any
   * @param from created at or after; null for no bound
   * @param to created before; null for no bound
   * @param after the previous page's last row; null for the first page
   * @param limit rows to return at most
   */
  public record JobQuery(
      Set<String> teams,
      Set<String> exceptTeams,
      Set<String> states,
      UUID batchId,
      OffsetDateTime from,
      OffsetDateTime to,
      PageCursor after,
      int limit) {}

  /** Up to {@code q.limit()} jobs, newest first. */
  public List<JobRow> list(JobQuery q) {
    StringBuilder sql = new StringBuilder("SELECT ").append(JobRepository.COLUMNS);
    sql.append(" FROM job WHERE true");
    List<Object> args = new ArrayList<>();
    if (q.teams() != null) {
      if (q.teams().size() == 1) {
        // Plain equality: the index then returns the rows already in order (ANY would sort).
        sql.append(" AND team = ?");
        args.add(q.teams().iterator().next());
      } else {
        sql.append(" AND team = ANY (?)");
        args.add(q.teams().toArray(String[]::new));
      }
    }
    if (!q.exceptTeams().isEmpty()) {
      sql.append(" AND team <> ALL (?)");
      args.add(q.exceptTeams().toArray(String[]::new));
    }
    if (!q.states().isEmpty()) {
      sql.append(" AND state = ANY (?)");
      args.add(q.states().toArray(String[]::new));
    }
    if (q.batchId() != null) {
      sql.append(" AND batch_id = ?");
      args.add(q.batchId());
    }
    if (q.from() != null) {
      sql.append(" AND created_at >= ?");
      args.add(q.from());
    }
    if (q.to() != null) {
      sql.append(" AND created_at < ?");
      args.add(q.to());
    }
    if (q.after() != null) {
      sql.append(" AND (created_at, id) < (?, ?)");
      args.add(q.after().createdAt());
      args.add(q.after().id());
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    args.add(q.limit());
    return DatabaseFailures.withConnection(
        ds,
        "list jobs",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              Object a = args.get(i);
              if (a instanceof String[] arr) {
                ps.setArray(i + 1, c.createArrayOf("text", arr));
              } else {
                ps.setObject(i + 1, a);
              }
            }
            List<JobRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(JobRepository.row(rs));
              }
            }
            return out;
          }
        });
  }
}
