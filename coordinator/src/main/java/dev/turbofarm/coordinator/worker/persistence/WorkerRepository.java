package dev.turbofarm.coordinator.worker.persistence;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The {@code worker} table's SQL: the registry that heartbeats keep. */
@ApplicationScoped
public class WorkerRepository {
  /**
   * The newest heartbeat wins: an older one read late changes nothing. Its send time (the worker's
   * clock) is clamped to the database's last hour, so a clock years ahead cannot freeze the entry
   * (every later heartbeat would look older) and one years behind cannot look current.
   */
  private static final String UPSERT =
      "INSERT INTO worker (id, host, state, model_id, max_batch_size, current_batch,"
          + " jobs_in_flight, images_rendered, images_per_second, heap_used_bytes, rss_bytes,"
          + " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " LEAST(GREATEST(?::timestamptz, now() - interval '1 hour'), now()))"
          + " ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, state = EXCLUDED.state,"
          + " model_id = EXCLUDED.model_id, max_batch_size = EXCLUDED.max_batch_size,"
          + " current_batch = EXCLUDED.current_batch, jobs_in_flight = EXCLUDED.jobs_in_flight,"
          + " images_rendered = EXCLUDED.images_rendered,"
          + " images_per_second = EXCLUDED.images_per_second,"
          + " heap_used_bytes = EXCLUDED.heap_used_bytes, rss_bytes = EXCLUDED.rss_bytes,"
          + " last_seen = EXCLUDED.last_seen WHERE worker.last_seen <= EXCLUDED.last_seen";

  private final AgroalDataSource ds;

  WorkerRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Records each worker's heartbeat (one per worker). */
  public void upsertAll(Collection<Heartbeat> heartbeats) {
    if (heartbeats.isEmpty()) {
      return;
    }
    DatabaseFailures.withConnection(
        ds,
        "record " + heartbeats.size() + " heartbeats",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (Heartbeat h : heartbeats) {
              int i = 1;
              ps.setString(i++, h.workerId());
              ps.setString(i++, h.host());
              ps.setString(i++, h.state().name());
              ps.setString(i++, h.modelId());
              ps.setInt(i++, h.maxBatchSize());
              ps.setInt(i++, h.currentBatch());
              ps.setInt(i++, h.jobsInFlight().size());
              ps.setLong(i++, h.imagesRendered());
              ps.setDouble(i++, h.imagesPerSecond());
              ps.setLong(i++, h.heapUsedBytes());
              ps.setLong(i++, h.rssBytes());
              ps.setObject(
                  i,
                  OffsetDateTime.ofInstant(Instant.ofEpochMilli(h.sentAtMs()), ZoneOffset.UTC),
                  Types.TIMESTAMP_WITH_TIMEZONE);
              ps.addBatch();
            }
            return ps.executeBatch();
          }
        });
  }

  /** Every worker seen, newest heartbeat first. */
  public List<WorkerRow> all() {
    return DatabaseFailures.withConnection(
        ds,
        "list workers",
        c -> {
          List<WorkerRow> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT * FROM worker ORDER BY last_seen DESC");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new WorkerRow(
                      rs.getString("id"),
                      rs.getString("host"),
                      rs.getString("state"),
                      rs.getString("model_id"),
                      rs.getInt("max_batch_size"),
                      rs.getInt("current_batch"),
                      rs.getInt("jobs_in_flight"),
                      rs.getLong("images_rendered"),
                      rs.getDouble("images_per_second"),
                      rs.getLong("heap_used_bytes"),
                      rs.getLong("rss_bytes"),
                      rs.getObject("first_seen", OffsetDateTime.class),
                      rs.getObject("last_seen", OffsetDateTime.class)));
            }
          }
          return out;
        });
  }

  /**
   * Each model workers reported, with how many of its workers are live (not STOPPED, a heartbeat
   * within {@code windowMs}) and when one was last heard from, most live workers first.
   */
  public List<ModelRow> models(long windowMs) {
    return DatabaseFailures.withConnection(
        ds,
        "list the models of the workers",
        c -> {
          List<ModelRow> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT model_id, count(*) FILTER (WHERE state <> 'STOPPED' AND last_seen >"
                      + " now() - ? * interval '1 millisecond') AS live, max(last_seen) AS last"
                      + " FROM worker WHERE model_id IS NOT NULL GROUP BY model_id"
                      + " ORDER BY live DESC, last DESC")) {
            ps.setLong(1, windowMs);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new ModelRow(
                        rs.getString(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class)));
              }
            }
          }
          return out;
        });
  }

  /**
   * A model as the worker registry knows it.
   *
   * @param liveWorkers workers serving it now (not stopped, heard from within the window)
   * @param lastSeen the newest heartbeat of any of its workers, by the workers' clocks
   */
  public record ModelRow(String modelId, int liveWorkers, OffsetDateTime lastSeen) {}

  /**
   * A row of the {@code worker} table.
   *
   * @param firstSeen the database's clock at its first heartbeat
   * @param lastSeen when its newest heartbeat was sent, by the worker's clock
   */
  public record WorkerRow(
      String id,
      String host,
      String state,
      String modelId,
      int maxBatchSize,
      int currentBatch,
      int jobsInFlight,
      long imagesRendered,
      double imagesPerSecond,
      long heapUsedBytes,
      long rssBytes,
      OffsetDateTime firstSeen,
      OffsetDateTime lastSeen) {}
}
