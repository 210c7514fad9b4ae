package dev.turbofarm.coordinator.job.persistence;

import static dev.turbofarm.coordinator.job.persistence.JobStateSql.FAILED;
import static dev.turbofarm.coordinator.job.persistence.JobStateSql.SUCCEEDED;

import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.coordinator.error.DatabaseFailures;
import dev.turbofarm.store.StorageKeys;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
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
   * job, nothing twice. The key is derived here from the job id and index, never taken from the
   * message, and no host path is stored (the API derives one from the key for the filesystem
   * store).
   */
  private static final String INSERT =
      "INSERT INTO image (job_id, idx, storage_key, seed, width, height, steps, guidance,"
          + " model_id, worker_id, batch_size, queue_wait_ms, render_ms, quality, sharpness,"
          + " attempt, fallback_profile, finished_at, sha256, bytes, crc32, thumbnails,"
          + " team, batch_id, profile, step_profile, prompt,"
          + " parent_job_id, parent_idx, derivation, seed_offset)"
          + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          // A worker's clock may run ahead: no image finished later than the database's now().
          + " LEAST(?::timestamptz, now()), ?, ?, ?, ?,"
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
      "SELECT idx, storage_key, seed, width, height, steps, guidance, model_id, worker_id,"
          + " batch_size, queue_wait_ms, render_ms, quality, sharpness, fallback_profile,"
          + " finished_at, created_at, sha256, bytes, thumbnails, expired_at, step_profile,"
          + " seed_offset, verdict, rating"
          + " FROM image WHERE job_id = ? ORDER BY idx";

  /**
   * One page of a batch's manifest: the next {@code ?} jobs of the batch after the cursor {@code
   * (created_at, id)} in catalogue order (index {@code job_batch_order_idx}), each image they asked
   * for, rendered or not; a missing one has no key. A verdict filter is applied to the page's rows
   * afterwards, so the cursor moves over every job.
   */
  private static final String MANIFEST_PAGE =
      "SELECT j.sku, j.id, s.idx - 1 AS image_index, i.storage_key,"
          + " coalesce(i.seed, s.seed) AS seed, j.profile,"
          + " coalesce(i.width, j.width) || 'x' || coalesce(i.height, j.height) AS size,"
          + " i.quality, CASE WHEN j.state = "
          + SUCCEEDED
          + " AND i.storage_key IS NULL THEN "
          + FAILED
          + " ELSE j.state END AS state, j.reason, i.sha256, i.expired_at, i.thumbnails,"
          + " i.verdict, i.rating, j.created_at"
          + " FROM (SELECT id, sku, profile, width, height, state, reason, seeds, created_at"
          + " FROM job WHERE batch_id = ? AND (created_at, id) > (?, ?)"
          + " ORDER BY created_at, id LIMIT ?) j"
          + " CROSS JOIN LATERAL unnest(j.seeds) WITH ORDINALITY AS s(seed, idx)"
          + " LEFT JOIN image i ON i.job_id = j.id AND i.idx = s.idx - 1"
          + " ORDER BY j.created_at, j.id, s.idx";

  /** Where the first page of a manifest starts: before every job. */
  public static final ManifestCursor MANIFEST_START =
      new ManifestCursor(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), new UUID(0, 0));

  private final AgroalDataSource ds;

  ImageRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /**
   * How many results were new, and the bytes of their stored PNGs.
   *
   * @param bytes sum of the new images' sizes; images recorded without a size count 0
   */
  public record Inserted(int images, long bytes) {}

  /** Records successful results; a duplicate, or a result for a FAILED job, changes nothing. */
  public Inserted insertAll(List<ResultMessage> results) {
    if (results.isEmpty()) {
      return new Inserted(0, 0);
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
            long bytes = 0;
            int[] counts = ps.executeBatch();
            for (int k = 0; k < counts.length; k++) {
              if (counts[k] > 0) {
                inserted++;
                Long b = results.get(k).bytes();
                bytes += b == null ? 0 : b;
              }
            }
            return new Inserted(inserted, bytes);
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
                        rs.getString("storage_key"),
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
                        rs.getString("sha256"),
                        rs.getObject("bytes", Long.class),
                        ints(rs.getArray("thumbnails")),
                        rs.getObject("expired_at", OffsetDateTime.class),
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

  /**
   * Where a manifest page ends: the last job's {@code created_at} and id (catalogue order).
   *
   * @param createdAt the job's creation time
   */
  public record ManifestCursor(OffsetDateTime createdAt, UUID jobId) {}

  /**
   * A page of a manifest.
   *
   * @param rows one per image the page's jobs asked for (and the verdict selects), in catalogue
   *     order
   * @param jobs jobs on the page; fewer than asked for means it is the last page
   * @param next where the next page starts
   */
  public record ManifestPage(List<ManifestRow> rows, int jobs, ManifestCursor next) {}

  /**
   * The next {@code maxJobs} jobs of the batch after {@code after}, with every image they asked
   * for, rendered or not (or only those with a verdict: {@code verdict} is {@code all}, {@code
   * approved}, {@code rejected} or {@code unreviewed}). One short query on a pooled connection,
   * returned at once: a manifest is read page by page, so a client that reads slowly holds no
   * connection while it reads.
   */
  public ManifestPage manifestPage(
      UUID batchId, String verdict, ManifestCursor after, int maxJobs) {
    return DatabaseFailures.withConnection(
        ds,
        "read the manifest of batch " + batchId,
        c -> {
          List<ManifestRow> rows = new ArrayList<>();
          int jobs = 0;
          UUID lastJob = null;
          ManifestCursor next = after;
          try (PreparedStatement ps = c.prepareStatement(MANIFEST_PAGE)) {
            ps.setObject(1, batchId);
            ps.setObject(2, after.createdAt());
            ps.setObject(3, after.jobId());
            ps.setInt(4, maxJobs);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                double q = rs.getDouble(8);
                Double quality = rs.wasNull() ? null : q;
                UUID job = rs.getObject(2, UUID.class);
                ManifestRow row =
                    new ManifestRow(
                        rs.getString(1),
                        job,
                        rs.getInt(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getString(6),
                        rs.getString(7),
                        quality,
                        rs.getString(9),
                        rs.getString(10),
                        rs.getString(11),
                        rs.getObject(12, OffsetDateTime.class),
                        ints(rs.getArray(13)),
                        rs.getString(14),
                        rs.getObject(15, Integer.class));
                if (!job.equals(lastJob)) {
                  jobs++;
                  lastJob = job;
                  next = new ManifestCursor(rs.getObject(16, OffsetDateTime.class), job);
                }
                if (selected(row, verdict)) {
                  rows.add(row);
                }
              }
            }
          }
          return new ManifestPage(rows, jobs, next);
        });
  }

  /**
   * One image a batch asked for.
   *
   * @param storageKey null when not rendered
   * @param sha256 of the stored PNG; null when not rendered or recorded before checksums
   * @param expiredAt when retention deleted it; null while stored
   * @param thumbnails sizes stored beside it, px
   * @param size {@code WIDTHxHEIGHT}, as rendered or as asked
   * @param state the job's state; FAILED for an image missing from a SUCCEEDED job
   * @param verdict its review's verdict, null when none
   * @param rating its review's rating, null when none
   */
  public record ManifestRow(
      String sku,
      UUID jobId,
      int imageIndex,
      String storageKey,
      long seed,
      String profile,
      String size,
      Double quality,
      String state,
      String reason,
      String sha256,
      OffsetDateTime expiredAt,
      List<Integer> thumbnails,
      String verdict,
      Integer rating) {}

  private static void bind(PreparedStatement ps, ResultMessage m) throws SQLException {
    int i = 1;
    ps.setObject(i++, m.jobId());
    ps.setInt(i++, m.index());
    ps.setString(i++, StorageKeys.image(m.jobId(), m.index()));
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
    ps.setString(i++, m.sha256());
    ps.setObject(i++, m.bytes(), Types.BIGINT);
    ps.setObject(i++, m.crc32(), Types.BIGINT);
    ps.setArray(
        i++,
        ps.getConnection()
            .createArrayOf(
                "integer",
                m.thumbnails() == null ? new Integer[0] : m.thumbnails().toArray(new Integer[0])));
    ps.setLong(i++, m.seed());
    ps.setString(i++, m.fallbackProfile());
    ps.setObject(i, m.jobId());
  }

  /** Whether a manifest row is among those {@code verdict} selects. */
  private static boolean selected(ManifestRow r, String verdict) {
    return switch (verdict) {
      case "all" -> true;
      case "unreviewed" -> r.storageKey() != null && r.verdict() == null;
      default -> verdict.equals(r.verdict());
    };
  }

  private static List<Integer> ints(java.sql.Array a) throws SQLException {
    return a == null ? List.of() : java.util.Arrays.asList((Integer[]) a.getArray());
  }

  private static void setNullable(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null || v.isNaN()) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }
}
