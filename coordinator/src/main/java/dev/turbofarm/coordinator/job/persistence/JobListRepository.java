package dev.turbofarm.coordinator.job.persistence;

import dev.turbofarm.coordinator.http.KeysetSql;
import dev.turbofarm.coordinator.http.PageCursor;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
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
    return new KeysetSql("SELECT " + JobRepository.COLUMNS + " FROM job")
        .teams(q.teams())
        .noneOf("team", q.exceptTeams())
        .anyOf("state", q.states())
        .where("batch_id = ?", q.batchId())
        .created(q.from(), q.to())
        .page(ds, "list jobs", q.after(), q.limit(), JobRepository::row);
  }
}
