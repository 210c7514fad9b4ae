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
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@code image} table's SQL: results recorded idempotently (one row per job and index, by
 * primary key), a job's images, and a batch's images rendered or not (the manifest).
 */
@ApplicationScoped
public class ImageRepository {
  /**
   * One result, with what analysts filter and group by copied from its job (team, batch, size and
   * step profile, prompt, lineage) and its seed's offset from its parent's; nothing for a FAILED
   * job, nothing twice.
   */
  private static final String INSERT =
      "INSERT INTO image (job_id, idx, path, seed, width, height, steps, guidance, model_id,"
          + " worker_id, batch_size, queue_wait_ms, render_ms, quality, sharpness, attempt,"
          + " fallback_profile, finished_at, team, batch_id, profile, step_profile, prompt,"
          + " parent_job_id, parent_idx, derivation, seed_offset)"
          + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " j.team, j.batch_id, coalesce(fp.name, j.profile),"
          + " CASE WHEN fp.name IS NULL THEN j.step_profile ELSE fp.step_profile END, j.prompt,"
          + " j.parent_job_id, j.parent_idx, j.derivation,"
          + " CASE WHEN p.seed IS NOT NULL THEN mod(?::bigint - p.seed + 4294967296, 4294967296)"
          + " END"
          + " FROM job j LEFT JOIN profile fp ON fp.name = ?"
          + " LEFT JOIN image p ON p.job_id = j.parent_job_id AND p.idx = j.parent_idx"
          + " WHERE j.id = ? AND j.state <> "
          + FAILED
          + " ON CONFLICT (job_id, idx) DO NOTHING";

  private static final String OF_JOB =
      "SELECT i.idx, i.path, i.seed, i.width, i.height, i.steps, i.guidance, i.model_id,"
          + " i.worker_id, i.batch_size, i.queue_wait_ms, i.render_ms, i.quality, i.sharpness,"
          + " i.fallback_profile, i.finished_at, i.created_at, i.step_profile, i.seed_offset,"
          + " i.verdict, i.rating FROM image i WHERE i.job_id = ? ORDER BY i.idx";

  /**
   * Every image a batch asked for, in catalogue order; a missing one has no path. The trailing
   * condition selects by verdict: {@code ?} = 'all', 'approved', 'rejected' or 'unreviewed'.
   */
  private static final String MANIFEST =
      "SELECT j.sku, j.id, s.idx - 1 AS image_index, i.path, coalesce(i.seed, s.seed) AS seed,"
          + " j.profile, coalesce(i.width, j.width) || 'x' || coalesce(i.height, j.height) AS size,"
          + " i.quality, CASE WHEN j.state = "
          + SUCCEEDED
          + " AND i.path IS NULL THEN "
          + FAILED
          + " ELSE j.state END AS state, j.reason, i.verdict, i.rating"
          + " FROM job j CROSS JOIN LATERAL unnest(j.seeds) WITH ORDINALITY AS s(seed, idx)"
          + " LEFT JOIN image i ON i.job_id = j.id AND i.idx = s.idx - 1"
          + " WHERE j.batch_id = ? AND (?::text = 'all' OR i.verdict = ?::text"
          + " OR (?::text = 'unreviewed' AND i.path IS NOT NULL AND i.verdict IS NULL))"
          + " ORDER BY j.created_at, j.id, s.idx";

  /** Manifest rows fetched per round trip from the cursor. */
  private static final int FETCH_ROWS = 2_000;

  private final AgroalDataSource ds;

  ImageRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /**
   * Records successful results; a duplicate, or a result for a FAILED job, changes nothing.
   *
   * @return how many were new
   */
  public int insertAll(List<ResultMessage> results) {
    if (results.isEmpty()) {
      return 0;
    }
    return DatabaseFailures.withConnection(
        ds,
        "record " + results.size() + " images",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (ResultMessage m : results) {
              bind(ps, m);
              ps.addBatch();
            }
            int inserted = 0;
            for (int n : ps.executeBatch()) {
              inserted += n > 0 ? 1 : 0;
            }
            return inserted;
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
                        rs.getObject("created_at", OffsetDateTime.class),
                        rs.getString("step_profile"),
                        rs.getObject("seed_offset", Long.class),
                        rs.getString("verdict"),
                        rs.getObject("rating", Integer.class)));
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
   * Streams every image the batch asked for, rendered or not (or only those with a verdict: {@code
   * verdict} is {@code all}, {@code approved}, {@code rejected} or {@code unreviewed}), in
   * catalogue order, from a server-side cursor so a 100k-row batch never sits in memory. Needs the
   * caller's transaction (a cursor lives in one).
   *
   * @throws UncheckedIOException when the sink fails
   */
  public void forEachImageOfBatch(UUID batchId, String verdict, ManifestSink sink) {
    DatabaseFailures.withConnection(
        ds,
        "read the manifest of batch " + batchId,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(MANIFEST)) {
            ps.setFetchSize(FETCH_ROWS);
            ps.setObject(1, batchId);
            ps.setString(2, verdict);
            ps.setString(3, verdict);
            ps.setString(4, verdict);
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
                        rs.getString(10),
                        rs.getString(11),
                        rs.getObject(12, Integer.class)));
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
   * @param verdict its review's verdict, null when none
   * @param rating its review's rating, null when none
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
      String reason,
      String verdict,
      Integer rating) {}

  private static void bind(PreparedStatement ps, ResultMessage m) throws SQLException {
    int i = 1;
    ps.setObject(i++, m.jobId());
    ps.setInt(i++, m.index());
    ps.setString(i++, m.path());
    ps.setLong(i++, m.seed());
    ps.setInt(i++, m.width());
    ps.setInt(i++, m.height());
    ps.setInt(i++, m.steps());
    ps.setDouble(i++, m.guidance());
    ps.setString(i++, m.modelId());
    ps.setString(i++, m.workerId());
    ps.setInt(i++, m.batchSize());
    ps.setLong(i++, m.queueWaitMs());
    ps.setLong(i++, m.renderMs());
    setNullable(ps, i++, m.quality());
    setNullable(ps, i++, m.sharpness());
    ps.setInt(i++, m.attempt());
    ps.setString(i++, m.fallbackProfile());
    ps.setObject(
        i++,
        m.finishedAtMs() > 0
            ? OffsetDateTime.ofInstant(Instant.ofEpochMilli(m.finishedAtMs()), ZoneOffset.UTC)
            : null,
        Types.TIMESTAMP_WITH_TIMEZONE);
    ps.setLong(i++, m.seed());
    ps.setString(i++, m.fallbackProfile());
    ps.setObject(i, m.jobId());
  }

  private static void setNullable(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null || v.isNaN()) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }
}
