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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
   * What analysts filter and group by is copied from the job (team, batch, size and step profile,
   * prompt, lineage), with the seed's offset from its parent's. The key is derived from the job id
   * and index, never taken from the message, and no host path is stored (the API derives one from
   * the key for the filesystem store). Thumbnail sizes travel as array text ({@code {128,256}}):
   * unnest flattens a two-dimensional array.
   */
  private static final String INSERT =
      "INSERT INTO image (job_id, idx, storage_key, seed, width, height, steps, guidance,"
          + " model_id, worker_id, batch_size, queue_wait_ms, render_ms, quality, sharpness,"
          + " attempt, fallback_profile, finished_at, sha256, bytes, crc32, thumbnails,"
          + " team, batch_id, profile, step_profile, prompt,"
          + " parent_job_id, parent_idx, derivation, seed_offset)"
          + " SELECT r.job_id, r.idx, r.storage_key, r.seed, r.width, r.height, r.steps,"
          + " r.guidance, r.model_id, r.worker_id, r.batch_size, r.queue_wait_ms, r.render_ms,"
          + " r.quality, r.sharpness, r.attempt, r.fallback_profile,"
          // A worker's clock may run ahead: no image finished later than the database's now().
          + " CASE WHEN r.finished_ms > 0 THEN LEAST(to_timestamp(r.finished_ms / 1000.0), now())"
          + " END, r.sha256, r.bytes, r.crc32, coalesce(r.thumbnails::int[], '{}'),"
          + " j.team, j.batch_id, coalesce(fp.name, j.profile),"
          + " CASE WHEN fp.name IS NULL THEN j.step_profile ELSE fp.step_profile END, j.prompt,"
          + " j.parent_job_id, j.parent_idx, j.derivation,"
          + " CASE WHEN p.seed IS NOT NULL THEN mod(r.seed - p.seed + 4294967296, 4294967296)"
          + " END"
          + " FROM unnest(?::uuid[], ?::int[], ?::text[], ?::bigint[], ?::int[], ?::int[],"
          + " ?::int[], ?::float8[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[],"
          + " ?::float8[], ?::float8[], ?::int[], ?::text[], ?::bigint[], ?::text[], ?::bigint[],"
          + " ?::bigint[], ?::text[])"
          + " AS r(job_id, idx, storage_key, seed, width, height, steps, guidance, model_id,"
          + " worker_id, batch_size, queue_wait_ms, render_ms, quality, sharpness, attempt,"
          + " fallback_profile, finished_ms, sha256, bytes, crc32, thumbnails)"
          + " JOIN job j ON j.id = r.job_id AND j.state <> "
          + FAILED
          + " LEFT JOIN profile fp ON fp.name = r.fallback_profile"
          + " LEFT JOIN image p ON p.job_id = j.parent_job_id AND p.idx = j.parent_idx"
          + " ON CONFLICT (job_id, idx) DO NOTHING RETURNING bytes";

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

  /**
   * Records successful results in one statement; a duplicate (also within {@code results}), or a
   * result for a FAILED job, changes nothing.
   */
  public Inserted insertAll(List<ResultMessage> results) {
    if (results.isEmpty()) {
      return new Inserted(0, 0);
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
    String[] keys = new String[n];
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
    String[] sha256 = new String[n];
    Long[] bytes = new Long[n];
    Long[] crc32 = new Long[n];
    String[] thumbnails = new String[n];
    for (int i = 0; i < n; i++) {
      ResultMessage m = rows.get(i);
      jobIds[i] = m.jobId();
      idx[i] = m.index();
      keys[i] = StorageKeys.image(m.jobId(), m.index());
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
      sha256[i] = m.sha256();
      bytes[i] = m.bytes();
      crc32[i] = m.crc32();
      thumbnails[i] =
          m.thumbnails() == null
              ? null
              : "{" + String.join(",", m.thumbnails().stream().map(String::valueOf).toList()) + "}";
    }
    return DatabaseFailures.withConnection(
        ds,
        "record " + n + " images",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            Object[][] columns = {
              jobIds,
              idx,
              keys,
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
              finished,
              sha256,
              bytes,
              crc32,
              thumbnails
            };
            String[] types = {
              "uuid", "int4", "text", "int8", "int4", "int4", "int4", "float8", "text", "text",
              "int4", "int8", "int8", "float8", "float8", "int4", "text", "int8", "text", "int8",
              "int8", "text"
            };
            for (int i = 0; i < columns.length; i++) {
              ps.setArray(i + 1, c.createArrayOf(types[i], columns[i]));
            }
            int inserted = 0;
            long stored = 0;
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                inserted++;
                stored += rs.getLong(1);
              }
            }
            return new Inserted(inserted, stored);
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

  /** NaN (no score) is stored as null. */
  private static Double finite(Double v) {
    return v == null || v.isNaN() ? null : v;
  }
}
