package dev.turbofarm.coordinator.job.persistence;

import static dev.turbofarm.coordinator.job.persistence.JobStateSql.FAILED;
import static dev.turbofarm.coordinator.job.persistence.JobStateSql.SUCCEEDED;

import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code image} table's SQL: results recorded idempotently (one row per job and index, by
 * primary key), a job's images, and a batch's images rendered or not (the manifest).
 */
@ApplicationScoped
public class ImageRepository {
  /**
   * One statement for a whole poll's results: the rows come in as one array per column ({@code
   * unnest}), a result for a FAILED job is dropped by the join, a duplicate by the primary key.
   */
  private static final String INSERT =
      "INSERT INTO image (job_id, idx, path, seed, width, height, steps, guidance, model_id,"
          + " worker_id, batch_size, queue_wait_ms, render_ms, quality, sharpness, attempt,"
          + " fallback_profile, finished_at)"
          + " SELECT r.job_id, r.idx, r.path, r.seed, r.width, r.height, r.steps, r.guidance,"
          + " r.model_id, r.worker_id, r.batch_size, r.queue_wait_ms, r.render_ms, r.quality,"
          + " r.sharpness, r.attempt, r.fallback_profile,"
          + " CASE WHEN r.finished_ms > 0 THEN to_timestamp(r.finished_ms / 1000.0) END"
          + " FROM unnest(?::uuid[], ?::int[], ?::text[], ?::bigint[], ?::int[], ?::int[],"
          + " ?::int[], ?::float8[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[],"
          + " ?::float8[], ?::float8[], ?::int[], ?::text[], ?::bigint[])"
          + " AS r(job_id, idx, path, seed, width, height, steps, guidance, model_id, worker_id,"
          + " batch_size, queue_wait_ms, render_ms, quality, sharpness, attempt, fallback_profile,"
          + " finished_ms)"
          + " JOIN job j ON j.id = r.job_id AND j.state <> "
          + FAILED
          + " ON CONFLICT (job_id, idx) DO NOTHING";

  private static final String OF_JOB =
      "SELECT idx, path, seed, width, height, steps, guidance, model_id, worker_id, batch_size,"
          + " queue_wait_ms, render_ms, quality, sharpness, fallback_profile, finished_at,"
          + " created_at FROM image WHERE job_id = ? ORDER BY idx";

  /** Every image a batch asked for, in catalogue order; a missing one has no path. */
  private static final String MANIFEST =
      "SELECT j.sku, j.id, s.idx - 1 AS image_index, i.path, coalesce(i.seed, s.seed) AS seed,"
          + " j.profile, coalesce(i.width, j.width) || 'x' || coalesce(i.height, j.height) AS size,"
          + " i.quality, CASE WHEN j.state = "
          + SUCCEEDED
          + " AND i.path IS NULL THEN "
          + FAILED
          + " ELSE j.state END AS state, j.reason"
          + " FROM job j CROSS JOIN LATERAL unnest(j.seeds) WITH ORDINALITY AS s(seed, idx)"
          + " LEFT JOIN image i ON i.job_id = j.id AND i.idx = s.idx - 1"
          + " WHERE j.batch_id = ? ORDER BY j.created_at, j.id, s.idx";

  /** Manifest rows fetched per round trip from the cursor. */
  private static final int FETCH_ROWS = 2_000;

  private final AgroalDataSource ds;

  ImageRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /**
   * Records successful results in one statement; a duplicate (also within {@code results}), or a
   * result for a FAILED job, changes nothing.
   *
   * @return how many were new
   */
  public int insertAll(List<ResultMessage> results) {
    if (results.isEmpty()) {
      return 0;
    }
    // One row per (job, index) within the statement too: ON CONFLICT judges rows of other
    // statements, and a redelivered job can bring the same image twice in one poll.
    Map<String, ResultMessage> unique = new LinkedHashMap<>();
    for (ResultMessage m : results) {
      unique.putIfAbsent(m.jobId() + "/" + m.index(), m);
    }
    List<ResultMessage> rows = new ArrayList<>(unique.values());
    int n = rows.size();
    UUID[] jobIds = new UUID[n];
    Integer[] idx = new Integer[n];
    String[] paths = new String[n];
    Long[] seeds = new Long[n];
    Integer[] widths = new Integer[n];
    Integer[] heights = new Integer[n];
    Integer[] steps = new Integer[n];
    Double[] guidance = new Double[n];
    String[] models = new String[n];
    String[] workers = new String[n];
    Integer[] batchSizes = new Integer[n];
    Long[] waits = new Long[n];
    Long[] renders = new Long[n];
    Double[] quality = new Double[n];
    Double[] sharpness = new Double[n];
    Integer[] attempts = new Integer[n];
    String[] fallbacks = new String[n];
    Long[] finished = new Long[n];
    for (int i = 0; i < n; i++) {
      ResultMessage m = rows.get(i);
      jobIds[i] = m.jobId();
      idx[i] = m.index();
      paths[i] = m.path();
      seeds[i] = m.seed();
      widths[i] = m.width();
      heights[i] = m.height();
      steps[i] = m.steps();
      guidance[i] = m.guidance();
      models[i] = m.modelId();
      workers[i] = m.workerId();
      batchSizes[i] = m.batchSize();
      waits[i] = m.queueWaitMs();
      renders[i] = m.renderMs();
      quality[i] = finite(m.quality());
      sharpness[i] = finite(m.sharpness());
      attempts[i] = m.attempt();
      fallbacks[i] = m.fallbackProfile();
      finished[i] = m.finishedAtMs();
    }
    return DatabaseFailures.withConnection(
        ds,
        "record " + n + " images",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            Object[][] columns = {
              jobIds,
              idx,
              paths,
              seeds,
              widths,
              heights,
              steps,
              guidance,
              models,
              workers,
              batchSizes,
              waits,
              renders,
              quality,
              sharpness,
              attempts,
              fallbacks,
              finished
            };
            String[] types = {
              "uuid", "int4", "text", "int8", "int4", "int4", "int4", "float8", "text", "text",
              "int4", "int8", "int8", "float8", "float8", "int4", "text", "int8"
            };
            for (int i = 0; i < columns.length; i++) {
              ps.setArray(i + 1, c.createArrayOf(types[i], columns[i]));
            }
            return ps.executeUpdate();
          }
        });
  }

  /** The job's images, by index. */
  public List<ImageRow> ofJob(UUID jobId) {
    return DatabaseFailures.withConnection(
        ds,
        "read the images of job " + jobId,
        c -> {
          List<ImageRow> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(OF_JOB)) {
            ps.setObject(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new ImageRow(
                        rs.getInt("idx"),
                        rs.getString("path"),
                        rs.getLong("seed"),
                        rs.getInt("width"),
                        rs.getInt("height"),
                        rs.getInt("steps"),
                        rs.getDouble("guidance"),
                        rs.getString("model_id"),
                        rs.getString("worker_id"),
                        rs.getInt("batch_size"),
                        rs.getLong("queue_wait_ms"),
                        rs.getLong("render_ms"),
                        rs.getObject("quality", Double.class),
                        rs.getObject("sharpness", Double.class),
                        rs.getString("fallback_profile"),
                        rs.getObject("finished_at", OffsetDateTime.class),
                        rs.getObject("created_at", OffsetDateTime.class)));
              }
            }
          }
          return out;
        });
  }

  /** Receives manifest lines one at a time. */
  @FunctionalInterface
  public interface ManifestSink {
    void accept(ManifestRow row) throws IOException;
  }

  /**
   * Streams every image the batch asked for, rendered or not, in catalogue order, from a
   * server-side cursor so a 100k-row batch never sits in memory. Needs the caller's transaction (a
   * cursor lives in one).
   *
   * @throws UncheckedIOException when the sink fails
   */
  public void forEachImageOfBatch(UUID batchId, ManifestSink sink) {
    DatabaseFailures.withConnection(
        ds,
        "read the manifest of batch " + batchId,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(MANIFEST)) {
            ps.setFetchSize(FETCH_ROWS);
            ps.setObject(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                double q = rs.getDouble(8);
                Double quality = rs.wasNull() ? null : q;
                sink.accept(
                    new ManifestRow(
                        rs.getString(1),
                        rs.getObject(2, UUID.class),
                        rs.getInt(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getString(6),
                        rs.getString(7),
                        quality,
                        rs.getString(9),
                        rs.getString(10)));
              }
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
  }

  /**
   * One image a batch asked for.
   *
   * @param path null when not rendered
   * @param size {@code WIDTHxHEIGHT}, as rendered or as asked
   * @param state the job's state; FAILED for an image missing from a SUCCEEDED job
   */
  public record ManifestRow(
      String sku,
      UUID jobId,
      int imageIndex,
      String path,
      long seed,
      String profile,
      String size,
      Double quality,
      String state,
      String reason) {}

  /** NaN (no score) is stored as null. */
  private static Double finite(Double v) {
    return v == null || v.isNaN() ? null : v;
  }
}
