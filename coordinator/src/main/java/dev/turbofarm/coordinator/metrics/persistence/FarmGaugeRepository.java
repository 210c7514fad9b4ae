package dev.turbofarm.coordinator.metrics.persistence;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The grouped reads behind the farm's gauges: the backlog and the workers by state. */
@ApplicationScoped
public class FarmGaugeRepository {
  /**
   * The unfinished jobs grouped by what the gauges and the capacity signal need, in one statement.
   * Two branches, each matching one of the partial indexes on {@code job} ({@code job_queued_idx},
   * {@code job_dispatched_idx}), so the scan touches only unfinished rows however long the history.
   */
  private static final String BACKLOG =
      "SELECT team, priority, state, width, height, count(*),"
          + " coalesce(sum(image_count::bigint * steps), 0)"
          + " FROM job WHERE state = 'QUEUED' GROUP BY team, priority, state, width, height"
          + " UNION ALL"
          + " SELECT team, priority, state, width, height, count(*),"
          + " coalesce(sum(image_count::bigint * steps), 0)"
          + " FROM job WHERE state = 'DISPATCHED' GROUP BY team, priority, state, width, height";

  /**
   * Workers by state, a worker not heard from within the lease (and not STOPPED) counted as LOST,
   * one under an admin command (CORDONED, DRAINING, QUARANTINED) by the command; workers silent for
   * a day are left out (the registry keeps them for the admin list only).
   */
  private static final String WORKERS =
      "SELECT CASE WHEN state <> 'STOPPED' AND seen_at <= now() - ?::bigint * interval '1"
          + " millisecond' THEN 'LOST' WHEN control IS NOT NULL THEN control ELSE state END AS s,"
          + " count(*) FROM worker"
          + " WHERE seen_at > now() - interval '1 day' GROUP BY s";

  private final AgroalDataSource ds;

  FarmGaugeRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /**
   * One group of unfinished jobs.
   *
   * @param state QUEUED or DISPATCHED
   * @param width image width, px
   * @param height image height, px
   * @param jobs jobs in the group
   * @param imageSteps the sum of images x steps over the group's jobs
   */
  public record BacklogRow(
      String team, int priority, String state, int width, int height, long jobs, long imageSteps) {

    /** The group's work in pixel-steps: width x height x images x steps. */
    public double pixelSteps() {
      return (double) width * height * imageSteps;
    }
  }

  /** Every group of QUEUED and DISPATCHED jobs by team, priority, state and size. */
  public List<BacklogRow> backlog() {
    return DatabaseFailures.withConnection(
        ds,
        "read the backlog for the metrics",
        c -> {
          List<BacklogRow> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(BACKLOG);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new BacklogRow(
                      rs.getString(1),
                      rs.getInt(2),
                      rs.getString(3),
                      rs.getInt(4),
                      rs.getInt(5),
                      rs.getLong(6),
                      rs.getLong(7)));
            }
          }
          return out;
        });
  }

  /** One state and how many workers are in it. */
  public record StateCount(String state, long workers) {}

  /**
   * Workers heard from within the last day by state; those silent longer than {@code leaseMs} are
   * counted as LOST.
   */
  public List<StateCount> workersByState(long leaseMs) {
    return DatabaseFailures.withConnection(
        ds,
        "count the workers by state for the metrics",
        c -> {
          List<StateCount> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(WORKERS)) {
            ps.setLong(1, leaseMs);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new StateCount(rs.getString(1), rs.getLong(2)));
              }
            }
          }
          return out;
        });
  }
}
