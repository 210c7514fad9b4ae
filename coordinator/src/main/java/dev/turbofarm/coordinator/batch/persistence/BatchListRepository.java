package dev.turbofarm.coordinator.batch.persistence;

import dev.turbofarm.coordinator.http.KeysetSql;
import dev.turbofarm.coordinator.http.PageCursor;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code batch} table's list read: newest first, by keyset on {@code (created_at, id)} (index
 * {@code batch_team_created_idx}, V60).
 */
@ApplicationScoped
public class BatchListRepository {
  /** A batch's state from its stamps, as {@code GET /api/v1/batches/{id}} names it. */
  private static final String STATE =
      "CASE WHEN cancelled_at IS NOT NULL THEN 'CANCELLED' WHEN completed_at IS NOT NULL THEN"
          + " 'COMPLETED' ELSE 'RUNNING' END";

  private final AgroalDataSource ds;

  BatchListRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /**
   * Which batches to list.
   *
   * @param teams the teams whose batches to list; null for every team
   * @param states RUNNING, COMPLETED, CANCELLED to keep; empty for all
   * @param from created at or after; null for no bound
   * @param to created before; null for no bound
   * @param after the previous page's last row; null for the first page
   * @param limit rows to return at most
   */
  public record BatchQuery(
      Set<String> teams,
      Set<String> states,
      OffsetDateTime from,
      OffsetDateTime to,
      PageCursor after,
      int limit) {}

  /**
   * A batch as a list shows it.
   *
   * @param state RUNNING, COMPLETED or CANCELLED
   */
  public record BatchListRow(
      UUID id,
      String team,
      String name,
      String state,
      int jobCount,
      long imageCount,
      int rejectedCount,
      OffsetDateTime createdAt,
      OffsetDateTime completedAt,
      OffsetDateTime cancelledAt) {}

  /** Up to {@code q.limit()} batches, newest first. */
  public List<BatchListRow> list(BatchQuery q) {
    return new KeysetSql(
            "SELECT id, team, name, "
                + STATE
                + " AS state, job_count, image_count, rejected_count, created_at, completed_at,"
                + " cancelled_at FROM batch")
        .teams(q.teams())
        .anyOf(STATE, q.states())
        .created(q.from(), q.to())
        .page(
            ds,
            "list batches",
            q.after(),
            q.limit(),
            rs ->
                new BatchListRow(
                    rs.getObject("id", UUID.class),
                    rs.getString("team"),
                    rs.getString("name"),
                    rs.getString("state"),
                    rs.getInt("job_count"),
                    rs.getLong("image_count"),
                    rs.getInt("rejected_count"),
                    rs.getObject("created_at", OffsetDateTime.class),
                    rs.getObject("completed_at", OffsetDateTime.class),
                    rs.getObject("cancelled_at", OffsetDateTime.class)));
  }
}
