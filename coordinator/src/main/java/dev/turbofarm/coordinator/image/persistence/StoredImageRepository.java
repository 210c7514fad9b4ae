package dev.turbofarm.coordinator.image.persistence;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code image} table's storage columns: one image's key and checksums (downloads), a batch's
 * images page by page in catalogue order (the ZIP), expired images claimed and marked (retention),
 * and what each team stores (the admin report). Plain JDBC: the sweeper's claim is {@code FOR
 * UPDATE SKIP LOCKED} under an advisory lock.
 */
@ApplicationScoped
public class StoredImageRepository {
  private static final String FIND =
      "SELECT j.team, i.storage_key, i.sha256, i.bytes, i.crc32, i.thumbnails, i.expired_at"
          + " FROM image i JOIN job j ON j.id = i.job_id WHERE i.job_id = ? AND i.idx = ?";

  /** A batch's rendered images after a position, in catalogue order (keyset paging). */
  private static final String BATCH_PAGE =
      "SELECT j.sku, j.created_at, j.id, i.idx, i.storage_key, i.sha256, i.bytes, i.crc32,"
          + " i.expired_at, i.verdict FROM job j JOIN image i ON i.job_id = j.id"
          + " WHERE j.batch_id = ? AND (j.created_at, j.id, i.idx) > (?, ?, ?)"
          + " ORDER BY j.created_at, j.id, i.idx LIMIT ?";

  private static final String SKU_POSITION =
      "SELECT created_at, id FROM job WHERE batch_id = ? AND sku = ?";

  /**
   * The retention sweeper's lock: one coordinator sweeps at a time; the others skip their turn.
   * Held until the transaction ends.
   */
  private static final String TRY_LOCK =
      "SELECT pg_try_advisory_xact_lock(hashtext('turbofarm.retention'))";

  /**
   * Live images past their team's retention, oldest first; approved ones only where the team's
   * policy deletes them too (image_retention_exempt, R__image_retention_exempt.sql).
   */
  private static final String CLAIM_EXPIRED =
      "SELECT i.job_id, i.idx, j.team, i.storage_key, i.bytes, i.thumbnails"
          + " FROM image i JOIN job j ON j.id = i.job_id"
          + " JOIN team_retention r ON r.team = j.team"
          + " WHERE i.expired_at IS NULL AND r.days IS NOT NULL"
          + " AND i.created_at < now() - make_interval(days => r.days)"
          + " AND (r.delete_approved OR NOT image_retention_exempt(i))"
          + " ORDER BY i.created_at LIMIT ? FOR UPDATE OF i SKIP LOCKED";

  private static final String MARK_EXPIRED =
      "UPDATE image SET expired_at = now() WHERE job_id = ? AND idx = ? AND expired_at IS NULL";

  private static final String USAGE =
      "SELECT j.team,"
          + " count(*) FILTER (WHERE i.expired_at IS NULL) AS images,"
          + " coalesce(sum(i.bytes) FILTER (WHERE i.expired_at IS NULL), 0) AS bytes,"
          + " min(i.created_at) FILTER (WHERE i.expired_at IS NULL) AS oldest,"
          + " count(*) FILTER (WHERE i.expired_at > now() - interval '7 days') AS expired_week,"
          + " coalesce(sum(i.bytes) FILTER (WHERE i.expired_at > now() - interval '7 days'), 0)"
          + " AS expired_week_bytes"
          + " FROM image i JOIN job j ON j.id = i.job_id GROUP BY j.team ORDER BY j.team";

  private final AgroalDataSource ds;

  StoredImageRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Image {@code index} of the job, with its team; empty when it was never recorded. */
  public Optional<StoredImageRow> find(UUID jobId, int index) {
    return DatabaseFailures.withConnection(
        ds,
        "read image " + index + " of job " + jobId,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setObject(1, jobId);
            ps.setInt(2, index);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new StoredImageRow(
                      jobId,
                      index,
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getObject(4, Long.class),
                      rs.getObject(5, Long.class),
                      ints(rs.getArray(6)),
                      rs.getObject(7, OffsetDateTime.class)));
            }
          }
        });
  }

  /**
   * One rendered image of a batch, with its place in catalogue order.
   *
   * @param jobCreatedAt with {@code jobId} and {@code index}, the keyset position
   * @param verdict its review: approved, rejected, or null when not reviewed
   */
  public record BatchImage(
      String sku,
      OffsetDateTime jobCreatedAt,
      UUID jobId,
      int index,
      String storageKey,
      String sha256,
      Long bytes,
      Long crc32,
      OffsetDateTime expiredAt,
      String verdict) {}

  /** Where a page of {@link #batchPage} starts: after this image. */
  public record Position(OffsetDateTime jobCreatedAt, UUID jobId, int index) {
    /** Before the first image of any batch. */
    public static final Position START =
        new Position(OffsetDateTime.parse("1970-01-01T00:00:00Z"), new UUID(0, 0), -1);
  }

  /** Up to {@code limit} rendered images of the batch after {@code after}, in catalogue order. */
  public List<BatchImage> batchPage(UUID batchId, Position after, int limit) {
    return DatabaseFailures.withConnection(
        ds,
        "read the images of batch " + batchId,
        c -> {
          List<BatchImage> out = new ArrayList<>(limit);
          try (PreparedStatement ps = c.prepareStatement(BATCH_PAGE)) {
            ps.setObject(1, batchId);
            ps.setObject(2, after.jobCreatedAt());
            ps.setObject(3, after.jobId());
            ps.setInt(4, after.index());
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new BatchImage(
                        rs.getString(1),
                        rs.getObject(2, OffsetDateTime.class),
                        rs.getObject(3, UUID.class),
                        rs.getInt(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getObject(7, Long.class),
                        rs.getObject(8, Long.class),
                        rs.getObject(9, OffsetDateTime.class),
                        rs.getString(10)));
              }
            }
          }
          return out;
        });
  }

  /** The position just after every image of the job with this SKU; empty for an unknown SKU. */
  public Optional<Position> afterSku(UUID batchId, String sku) {
    return DatabaseFailures.withConnection(
        ds,
        "find SKU " + sku + " in batch " + batchId,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SKU_POSITION)) {
            ps.setObject(1, batchId);
            ps.setString(2, sku);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new Position(
                          rs.getObject(1, OffsetDateTime.class),
                          rs.getObject(2, UUID.class),
                          Integer.MAX_VALUE))
                  : Optional.empty();
            }
          }
        });
  }

  /**
   * Takes the retention lock for the caller's transaction.
   *
   * @return false when another coordinator holds it (its sweep runs now)
   */
  public boolean tryRetentionLock() {
    return DatabaseFailures.withConnection(
        ds,
        "take the retention lock",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(TRY_LOCK);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
          }
        });
  }

  /** An image retention deletes. */
  public record Expired(
      UUID jobId,
      int index,
      String team,
      String storageKey,
      Long bytes,
      List<Integer> thumbnails) {}

  /** Locks up to {@code limit} images past retention for the caller's transaction. */
  public List<Expired> claimExpired(int limit) {
    return DatabaseFailures.withConnection(
        ds,
        "find images past retention",
        c -> {
          List<Expired> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(CLAIM_EXPIRED)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Expired(
                        rs.getObject(1, UUID.class),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getObject(5, Long.class),
                        ints(rs.getArray(6))));
              }
            }
          }
          return out;
        });
  }

  /** Marks images deleted from the store. */
  public void markExpired(List<Expired> images) {
    if (images.isEmpty()) {
      return;
    }
    DatabaseFailures.withConnection(
        ds,
        "mark " + images.size() + " images expired",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(MARK_EXPIRED)) {
            for (Expired e : images) {
              ps.setObject(1, e.jobId());
              ps.setInt(2, e.index());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  /** What one team stores. */
  public record TeamUsage(
      String team,
      long images,
      long bytes,
      OffsetDateTime oldest,
      long expiredThisWeek,
      long expiredThisWeekBytes) {}

  /** Every team's stored images and bytes, oldest image, and what expired in the last 7 days. */
  public List<TeamUsage> usage() {
    return DatabaseFailures.withConnection(
        ds,
        "sum storage per team",
        c -> {
          List<TeamUsage> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(USAGE);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new TeamUsage(
                      rs.getString(1),
                      rs.getLong(2),
                      rs.getLong(3),
                      rs.getObject(4, OffsetDateTime.class),
                      rs.getLong(5),
                      rs.getLong(6)));
            }
          }
          return out;
        });
  }

  private static List<Integer> ints(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    Integer[] v = (Integer[]) a.getArray();
    return Arrays.asList(v);
  }
}
