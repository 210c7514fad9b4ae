package dev.turbofarm.coordinator.worker.persistence;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The {@code worker} table's SQL: the registry that heartbeats keep. */
@ApplicationScoped
public class WorkerRepository {
  /**
   * One statement for a whole poll's heartbeats (one array per column), the newest heartbeat of a
   * worker winning: an older one read late changes nothing. Rows are written in id order, so two
   * coordinator replicas recording the same workers cannot deadlock on them. {@code seen_at} is the
   * database's clock; {@code last_seen} the worker's, clamped to the database's last hour, so a
   * clock years ahead cannot freeze the entry (every later heartbeat would look older) and one
   * years behind cannot look current.
   */
  private static final String UPSERT =
      "INSERT INTO worker (id, host, state, model_id, max_batch_size, current_batch,"
          + " jobs_in_flight, images_rendered, images_per_second, heap_used_bytes, rss_bytes,"
          + " memory_budget_pixels, control_applied, last_seen, seen_at)"
          + " SELECT r.id, r.host, r.state, r.model_id, r.max_batch_size, r.current_batch,"
          + " r.jobs_in_flight, r.images_rendered, r.images_per_second, r.heap_used_bytes,"
          + " r.rss_bytes, r.budget, r.applied,"
          + " LEAST(GREATEST(to_timestamp(r.sent_ms / 1000.0), now() - interval '1 hour'), now()),"
          + " now()"
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[],"
          + " ?::int[], ?::bigint[], ?::float8[], ?::bigint[], ?::bigint[], ?::bigint[],"
          + " ?::bigint[], ?::text[])"
          + " AS r(id, host, state, model_id, max_batch_size, current_batch, jobs_in_flight,"
          + " images_rendered, images_per_second, heap_used_bytes, rss_bytes, sent_ms, budget,"
          + " applied)"
          + " ORDER BY r.id"
          + " ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, state = EXCLUDED.state,"
          + " model_id = EXCLUDED.model_id, max_batch_size = EXCLUDED.max_batch_size,"
          + " current_batch = EXCLUDED.current_batch, jobs_in_flight = EXCLUDED.jobs_in_flight,"
          + " images_rendered = EXCLUDED.images_rendered,"
          + " images_per_second = EXCLUDED.images_per_second,"
          + " heap_used_bytes = EXCLUDED.heap_used_bytes, rss_bytes = EXCLUDED.rss_bytes,"
          + " memory_budget_pixels = EXCLUDED.memory_budget_pixels,"
          + " control_applied = EXCLUDED.control_applied,"
          + " last_seen = EXCLUDED.last_seen, seen_at = EXCLUDED.seen_at"
          + " WHERE worker.last_seen <= EXCLUDED.last_seen";

  /** Workers that can take jobs now: ready or busy, heard from within the given time. */
  private static final String CAPACITY =
      "SELECT count(*), coalesce(sum(max_batch_size), 0) FROM worker"
          + " WHERE state IN ('READY', 'BUSY') AND control IS NULL"
          + " AND seen_at > now() - ?::bigint * interval '1 millisecond'";

  private final AgroalDataSource ds;

  WorkerRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Records each worker's heartbeat (at most one per worker) in one statement. */
  public void upsertAll(Collection<Heartbeat> heartbeats) {
    if (heartbeats.isEmpty()) {
      return;
    }
    int n = heartbeats.size();
    String[] ids = new String[n];
    String[] hosts = new String[n];
    String[] states = new String[n];
    String[] models = new String[n];
    Integer[] maxBatch = new Integer[n];
    Integer[] current = new Integer[n];
    Integer[] inFlight = new Integer[n];
    Long[] rendered = new Long[n];
    Double[] rate = new Double[n];
    Long[] heap = new Long[n];
    Long[] rss = new Long[n];
    Long[] sent = new Long[n];
    Long[] budget = new Long[n];
    String[] applied = new String[n];
    int i = 0;
    for (Heartbeat h : heartbeats) {
      ids[i] = h.workerId();
      hosts[i] = h.host();
      states[i] = h.state().name();
      models[i] = h.modelId();
      maxBatch[i] = h.maxBatchSize();
      current[i] = h.currentBatch();
      inFlight[i] = h.jobsInFlight().size();
      rendered[i] = h.imagesRendered();
      rate[i] = h.imagesPerSecond();
      heap[i] = h.heapUsedBytes();
      rss[i] = h.rssBytes();
      sent[i] = h.sentAtMs();
      budget[i] = h.memoryBudgetPixels();
      applied[i] = h.control();
      i++;
    }
    DatabaseFailures.withConnection(
        ds,
        "record " + n + " heartbeats",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            Object[][] columns = {
              ids, hosts, states, models, maxBatch, current, inFlight, rendered, rate, heap, rss,
              sent, budget, applied
            };
            String[] types = {
              "text", "text", "text", "text", "int4", "int4", "int4", "int8", "float8", "int8",
              "int8", "int8", "int8", "text"
            };
            for (int k = 0; k < columns.length; k++) {
              ps.setArray(k + 1, c.createArrayOf(types[k], columns[k]));
            }
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Workers ready or busy whose newest heartbeat was recorded within {@code withinMs} (the
   * database's clock), and the sum of their max batches.
   */
  public Capacity capacity(long withinMs) {
    return DatabaseFailures.withConnection(
        ds,
        "sum the ready workers' batches",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(CAPACITY)) {
            ps.setLong(1, withinMs);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new Capacity(rs.getInt(1), rs.getLong(2));
            }
          }
        });
  }

  /**
   * What the ready workers can take at once.
   *
   * @param workers workers ready or busy
   * @param batchImages the sum of their max batches, images
   */
  public record Capacity(int workers, long batchImages) {}

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
                      rs.getObject("last_seen", OffsetDateTime.class),
                      rs.getObject("memory_budget_pixels", Long.class),
                      rs.getString("control"),
                      rs.getString("control_reason"),
                      rs.getObject("control_at", OffsetDateTime.class),
                      rs.getString("control_applied")));
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
      OffsetDateTime lastSeen,
      Long memoryBudgetPixels,
      String control,
      String controlReason,
      OffsetDateTime controlAt,
      String controlApplied) {}

  /**
   * Sets (or with a null {@code control}, clears) the admin command in force for a worker.
   *
   * @return false for a worker never seen
   */
  public boolean setControl(String id, String control, String reason) {
    return DatabaseFailures.withConnection(
        ds,
        "set the control of worker " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE worker SET control = ?, control_reason = ?, control_at = now()"
                      + " WHERE id = ?")) {
            ps.setString(1, control);
            ps.setString(2, reason);
            ps.setString(3, id);
            return ps.executeUpdate() > 0;
          }
        });
  }

  /**
   * What the workers of a model known to the farm (not STOPPED, heard from within {@code windowMs},
   * whatever their control) can render in one batch.
   *
   * @param workers known workers of the model
   * @param maxBudgetPixels the largest memory budget any of them reported; null when none reported
   *     one (older workers)
   */
  public record ModelBudget(int workers, Long maxBudgetPixels) {}

  /** {@link ModelBudget} of one model. */
  public ModelBudget budget(String modelId, long windowMs) {
    return DatabaseFailures.withConnection(
        ds,
        "read the memory budget of model " + modelId + "'s workers",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(*), max(memory_budget_pixels),"
                      + " count(*) FILTER (WHERE memory_budget_pixels IS NULL) FROM worker"
                      + " WHERE model_id = ? AND state <> 'STOPPED'"
                      + " AND seen_at > now() - ?::bigint * interval '1 millisecond'")) {
            ps.setString(1, modelId);
            ps.setLong(2, windowMs);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              // One worker without a stated budget may render anything: no limit is known.
              Long max = rs.getLong(3) > 0 ? null : rs.getObject(2, Long.class);
              return new ModelBudget(rs.getInt(1), max);
            }
          }
        });
  }

  /**
   * Workers of a model heard from within {@code windowMs} (not STOPPED), and how many of them take
   * jobs (READY or BUSY, no admin command in force).
   */
  public record Serving(int live, int takingJobs) {}

  /** {@link Serving} of one model. */
  public Serving serving(String modelId, long windowMs) {
    return DatabaseFailures.withConnection(
        ds,
        "count the workers of model " + modelId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(*), count(*) FILTER (WHERE state IN ('READY', 'BUSY')"
                      + " AND control IS NULL) FROM worker WHERE model_id = ?"
                      + " AND state <> 'STOPPED'"
                      + " AND seen_at > now() - ?::bigint * interval '1 millisecond'")) {
            ps.setString(1, modelId);
            ps.setLong(2, windowMs);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new Serving(rs.getInt(1), rs.getInt(2));
            }
          }
        });
  }
}
