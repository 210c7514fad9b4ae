package dev.turbofarm.coordinator.analytics.persistence;

import dev.turbofarm.coordinator.analytics.Dimension;
import dev.turbofarm.coordinator.analytics.HistoryCursor;
import dev.turbofarm.coordinator.analytics.HistoryImage;
import dev.turbofarm.coordinator.analytics.ImageFilter;
import dev.turbofarm.coordinator.analytics.SeedStat;
import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.postgresql.PGStatement;

/**
 * The analysts' read-only SQL over the {@code image} rows (which carry team, profiles, prompt,
 * lineage and verdict) and the per-day rollups ({@code image_daily}): the history page by keyset,
 * its full export from a server-side cursor, summaries (straight from the rows, or as rollups plus
 * rows for the caller to merge), and seed rankings. Also the rollups' upkeep.
 */
@ApplicationScoped
public class AnalyticsRepository {
  /** The history's columns, in {@link HistoryImage}'s order. */
  private static final String HISTORY_COLUMNS =
      "i.job_id, i.idx, i.team, i.batch_id, i.prompt, i.profile, i.step_profile, i.model_id,"
          + " i.width, i.height, i.steps, i.guidance, i.seed, i.quality, i.verdict, i.rating,"
          + " i.render_ms, i.queue_wait_ms, i.parent_job_id, i.parent_idx, i.derivation,"
          + " i.seed_offset, i.created_at, i.storage_key";

  private static final String HISTORY_ORDER =
      " ORDER BY i.created_at DESC, i.job_id DESC, i.idx DESC";

  /** Rows fetched per round trip from a cursor. */
  private static final int FETCH_ROWS = 2_000;

  /** Bytes of one packed value: float8send / int8send. */
  private static final int PACKED = Long.BYTES;

  private final AgroalDataSource ds;

  AnalyticsRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /**
   * Plans the statement for its parameters every time (an unnamed statement, never a server-side
   * prepared one). A generic plan cannot see a search text: for {@code ILIKE $1} it picks the
   * trigram index even for a two-character Chinese word, which has no trigram, and then reads the
   * whole index (7.4 s against 70 ms on a million rows). Analyst queries take far longer to run
   * than to plan, so planning each one costs nothing that matters.
   */
  private static void customPlans(PreparedStatement ps) throws SQLException {
    ps.unwrap(PGStatement.class).setPrepareThreshold(0);
  }

  // ---- history ----

  /** Up to {@code limit} images newest first, after {@code after} (null: from the newest). */
  public List<HistoryImage> historyPage(ImageFilter f, HistoryCursor after, int limit) {
    Where w = Filters.where(f, true);
    if (after != null) {
      w.add(
          "(i.created_at, i.job_id, i.idx) < (?, ?, ?)",
          after.renderedAt(),
          after.jobId(),
          after.index());
    }
    String sql =
        "SELECT " + HISTORY_COLUMNS + " FROM image i" + w.sql() + HISTORY_ORDER + " LIMIT ?";
    return DatabaseFailures.withConnection(
        ds,
        "read the image history",
        c -> {
          List<HistoryImage> out = new ArrayList<>(limit);
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            customPlans(ps);
            int i = w.bind(c, ps, 1);
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(history(rs));
              }
            }
          }
          return out;
        });
  }

  /** Receives history rows one at a time. */
  @FunctionalInterface
  public interface HistorySink {
    void accept(HistoryImage row) throws IOException;
  }

  /**
   * Every matching image, newest first, from a server-side cursor (the caller's transaction holds
   * it), so an export of millions of rows never sits in memory.
   *
   * @throws UncheckedIOException when the sink fails
   */
  public void forEachHistoryImage(ImageFilter f, HistorySink sink) {
    Where w = Filters.where(f, true);
    String sql = "SELECT " + HISTORY_COLUMNS + " FROM image i" + w.sql() + HISTORY_ORDER;
    DatabaseFailures.withConnection(
        ds,
        "export the image history",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            customPlans(ps);
            ps.setFetchSize(FETCH_ROWS);
            w.bind(c, ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                sink.accept(history(rs));
              }
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
  }

  private static HistoryImage history(ResultSet rs) throws SQLException {
    return new HistoryImage(
        rs.getObject(1, UUID.class),
        rs.getInt(2),
        rs.getString(3),
        rs.getObject(4, UUID.class),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getInt(9),
        rs.getInt(10),
        rs.getInt(11),
        rs.getDouble(12),
        rs.getLong(13),
        rs.getObject(14, Double.class),
        rs.getString(15),
        rs.getObject(16, Integer.class),
        rs.getLong(17),
        rs.getLong(18),
        rs.getObject(19, UUID.class),
        rs.getObject(20, Integer.class),
        rs.getString(21),
        rs.getObject(22, Long.class),
        rs.getObject(23, OffsetDateTime.class),
        rs.getString(24));
  }

  // ---- summaries ----

  /**
   * One group of a summary computed in SQL.
   *
   * @param key the group's values, in the order of the dimensions asked for
   * @param meanQuality null when no image of the group has a quality
   * @param approvalRate approved / (approved + rejected); null while none is reviewed
   */
  public record SummaryRow(
      List<Object> key,
      long images,
      Double meanQuality,
      Double p50Quality,
      long approved,
      long rejected,
      Double approvalRate,
      Double p50RenderMs,
      Double p95RenderMs,
      Double meanQueueWaitMs) {}

  /**
   * The summary straight from the image rows, in one SQL statement: the reference every other way
   * of computing it must equal, and the way for filters a rollup does not keep.
   */
  public List<SummaryRow> summaryFromRows(ImageFilter f, List<Dimension> groupBy) {
    Where w = Filters.where(f, true);
    String dims = groupBy.stream().map(DimensionSql::of).collect(Collectors.joining(", "));
    String positions =
        java.util.stream.IntStream.rangeClosed(1, groupBy.size())
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(", "));
    String sql =
        "SELECT "
            + (dims.isEmpty() ? "" : dims + ", ")
            + "count(*), avg(i.quality), percentile_cont(0.5) WITHIN GROUP (ORDER BY i.quality),"
            + " count(*) FILTER (WHERE i.verdict = 'approved'),"
            + " count(*) FILTER (WHERE i.verdict = 'rejected'),"
            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY i.render_ms),"
            + " percentile_cont(0.95) WITHIN GROUP (ORDER BY i.render_ms),"
            + " avg(i.queue_wait_ms)::double precision"
            + " FROM image i"
            + w.sql()
            + (groupBy.isEmpty()
                ? " HAVING count(*) > 0"
                : " GROUP BY " + positions + " ORDER BY " + positions);
    int n = groupBy.size();
    return DatabaseFailures.withConnection(
        ds,
        "summarise the image history",
        c -> {
          List<SummaryRow> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            customPlans(ps);
            w.bind(c, ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                List<Object> key = new ArrayList<>(n);
                for (int k = 1; k <= n; k++) {
                  Object v = rs.getObject(k);
                  key.add(v instanceof java.sql.Date d ? d.toLocalDate() : v);
                }
                long approved = rs.getLong(n + 4);
                long rejected = rs.getLong(n + 5);
                out.add(
                    new SummaryRow(
                        key,
                        rs.getLong(n + 1),
                        rs.getObject(n + 2, Double.class),
                        rs.getObject(n + 3, Double.class),
                        approved,
                        rejected,
                        approved + rejected == 0 ? null : approved / (double) (approved + rejected),
                        rs.getObject(n + 6, Double.class),
                        rs.getObject(n + 7, Double.class),
                        rs.getObject(n + 8, Double.class)));
              }
            }
          }
          return out;
        });
  }

  /**
   * Receives a summary's inputs: rollup rows (each a group's figures for one day) and image rows.
   */
  public interface RollupSink {
    /**
     * A rollup row: a group's figures for one day.
     *
     * @param dims the rolled-up dimensions: day, team, profile, step_profile, steps, model_id,
     *     width, height, guidance
     * @param quality the group's non-null qualities, ascending
     * @param renderMs the group's render times, ascending
     */
    void rollup(
        Object[] dims,
        long images,
        long approved,
        long rejected,
        long queueWaitSum,
        double[] quality,
        long[] renderMs);

    /** An image row, same dimensions; {@code quality} null when it has none. */
    void row(Object[] dims, Double quality, long renderMs, long queueWaitMs, String verdict);
  }

  /** What a summary reads, in the order the reading happens. */
  public interface SummaryReader {
    /**
     * The days of the window rolled up and clean, each with when it was last rolled up (a day
     * rolled up again has a new time): answers where their rollup rows go, or null when the caller
     * has them already and they need not be read.
     */
    RollupSink rolledDays(SortedMap<LocalDate, OffsetDateTime> days);

    /** Where the image rows of the other days go. */
    RollupSink rows();
  }

  /** The rollup dimensions, in {@link RollupSink}'s order. */
  private static final String ROLLUP_DIMS =
      "team, profile, step_profile, steps, model_id, width, height, guidance";

  /**
   * Reads the summary's inputs for the UTC days {@code fromDay..toDay} in one snapshot (a
   * repeatable-read, read-only transaction of its own): the rollups of the days rolled up and
   * clean, and the image rows of the others.
   *
   * @param f filters on rolled-up dimensions only; its time bounds are ignored
   * @return how many days came from rollups (the rest from rows)
   */
  public int readForSummary(
      ImageFilter f, LocalDate fromDay, LocalDate toDay, SummaryReader reader) {
    Connection c = DatabaseFailures.connect(ds);
    try {
      boolean autoCommit = c.getAutoCommit();
      int isolation = c.getTransactionIsolation();
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        int rolled = readForSummary(c, f, fromDay, toDay, reader);
        c.commit();
        return rolled;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setReadOnly(false);
        c.setTransactionIsolation(isolation);
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw DatabaseFailures.translate("summarise the image history", e);
    } finally {
      try {
        c.close();
      } catch (SQLException e) {
        // The pool discards a broken connection.
      }
    }
  }

  private int readForSummary(
      Connection c, ImageFilter f, LocalDate fromDay, LocalDate toDay, SummaryReader reader)
      throws SQLException {
    SortedMap<LocalDate, OffsetDateTime> rolled = new TreeMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT day, rolled_at FROM image_daily_day WHERE day BETWEEN ? AND ? AND NOT dirty")) {
      ps.setObject(1, fromDay);
      ps.setObject(2, toDay);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rolled.put(rs.getObject(1, LocalDate.class), rs.getObject(2, OffsetDateTime.class));
        }
      }
    }
    Where dims = Filters.where(f, false);
    RollupSink sink = rolled.isEmpty() ? null : reader.rolledDays(rolled);
    if (sink != null) {
      String sql =
          "SELECT day, "
              + ROLLUP_DIMS
              + ", images, approved, rejected, queue_wait_sum, quality, render_ms"
              + " FROM image_daily i WHERE day = ANY (?)"
              + dims.and();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        // Binary transfer from the first execution: the packed values come as bytes, not hex.
        ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
        ps.setFetchSize(FETCH_ROWS);
        ps.setArray(1, c.createArrayOf("date", rolled.keySet().toArray()));
        dims.bind(c, ps, 2);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sink.rollup(
                dims(rs),
                rs.getLong(10),
                rs.getLong(11),
                rs.getLong(12),
                rs.getLong(13),
                doubles(rs.getBytes(14)),
                longs(rs.getBytes(15)));
          }
        }
      }
    }
    List<Instant[]> ranges = unrolledRanges(fromDay, toDay, rolled.keySet());
    if (!ranges.isEmpty()) {
      RollupSink rows = reader.rows();
      String time =
          ranges.stream()
              .map(r -> "(i.created_at >= ? AND i.created_at < ?)")
              .collect(Collectors.joining(" OR ", "(", ")"));
      String sql =
          "SELECT (i.created_at AT TIME ZONE 'UTC')::date, "
              + ROLLUP_DIMS.replaceAll("(\\w+)", "i.$1")
              + ", i.quality, i.render_ms, i.queue_wait_ms, i.verdict FROM image i WHERE "
              + time
              + dims.and();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        customPlans(ps);
        ps.setFetchSize(FETCH_ROWS);
        int p = 1;
        for (Instant[] r : ranges) {
          ps.setTimestamp(p++, Timestamp.from(r[0]));
          ps.setTimestamp(p++, Timestamp.from(r[1]));
        }
        dims.bind(c, ps, p);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.row(
                dims(rs),
                rs.getObject(10, Double.class),
                rs.getLong(11),
                rs.getLong(12),
                rs.getString(13));
          }
        }
      }
    }
    return rolled.size();
  }

  /** The days not rolled up, as contiguous [start, end) instants (UTC midnights). */
  static List<Instant[]> unrolledRanges(LocalDate from, LocalDate to, Set<LocalDate> rolled) {
    List<Instant[]> out = new ArrayList<>();
    LocalDate start = null;
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      if (!rolled.contains(d)) {
        if (start == null) {
          start = d;
        }
      } else if (start != null) {
        out.add(new Instant[] {midnight(start), midnight(d)});
        start = null;
      }
    }
    if (start != null) {
      out.add(new Instant[] {midnight(start), midnight(to.plusDays(1))});
    }
    return out;
  }

  private static Instant midnight(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static Object[] dims(ResultSet rs) throws SQLException {
    return new Object[] {
      rs.getObject(1, LocalDate.class),
      rs.getString(2),
      rs.getString(3),
      rs.getString(4),
      rs.getObject(5, Integer.class),
      rs.getString(6),
      rs.getObject(7, Integer.class),
      rs.getObject(8, Integer.class),
      rs.getObject(9, Double.class)
    };
  }

  static double[] doubles(byte[] packed) {
    double[] out = new double[packed == null ? 0 : packed.length / PACKED];
    if (out.length > 0) {
      ByteBuffer.wrap(packed).asDoubleBuffer().get(out);
    }
    return out;
  }

  static long[] longs(byte[] packed) {
    long[] out = new long[packed == null ? 0 : packed.length / PACKED];
    if (out.length > 0) {
      ByteBuffer.wrap(packed).asLongBuffer().get(out);
    }
    return out;
  }

  // ---- seeds ----

  /**
   * Seeds, and the pool offsets of variants, each ranked by approval rate, then mean quality, then
   * images: both from one scan of the matching rows (grouping sets), at most {@code limit} of each.
   *
   * @return the seeds' ranking, then the offsets'
   */
  public List<List<SeedStat>> seedRankings(ImageFilter f, int minImages, int limit) {
    Where w = Filters.where(f, true);
    String sql =
        "SELECT by_offset, v, images, approved, rejected, rate, mean FROM ("
            + "SELECT by_offset, v, images, approved, rejected, rate, mean, row_number() OVER"
            + " (PARTITION BY by_offset ORDER BY rate DESC NULLS LAST, mean DESC NULLS LAST,"
            + " images DESC, v) AS rank FROM ("
            + "SELECT grouping(i.seed) AS by_offset,"
            + " CASE WHEN grouping(i.seed) = 1 THEN CASE WHEN i.derivation = 'variant' THEN"
            + " i.seed_offset END ELSE i.seed END AS v,"
            + " count(*) AS images, count(*) FILTER (WHERE i.verdict = 'approved') AS approved,"
            + " count(*) FILTER (WHERE i.verdict = 'rejected') AS rejected,"
            + " CASE WHEN count(i.verdict) > 0 THEN count(*) FILTER (WHERE i.verdict ="
            + " 'approved')::double precision / count(i.verdict) END AS rate,"
            + " avg(i.quality) AS mean"
            + " FROM image i"
            + w.sql()
            + " GROUP BY GROUPING SETS ((i.seed),"
            + " (CASE WHEN i.derivation = 'variant' THEN i.seed_offset END))"
            + " HAVING count(*) >= ?) g WHERE v IS NOT NULL) r WHERE rank <= ?"
            + " ORDER BY by_offset, rank";
    return DatabaseFailures.withConnection(
        ds,
        "rank seeds and offsets",
        c -> {
          List<SeedStat> seeds = new ArrayList<>();
          List<SeedStat> offsets = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            customPlans(ps);
            int i = w.bind(c, ps, 1);
            ps.setInt(i++, minImages);
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                SeedStat stat =
                    new SeedStat(
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getObject(6, Double.class),
                        rs.getObject(7, Double.class));
                (rs.getInt(1) == 1 ? offsets : seeds).add(stat);
              }
            }
          }
          return List.of(seeds, offsets);
        });
  }

  // ---- rollup upkeep ----

  /**
   * Closed days (before {@code today}, UTC) that need a rollup: never rolled up, or changed since,
   * oldest first.
   */
  public List<LocalDate> daysToRoll(LocalDate today, int limit) {
    return DatabaseFailures.withConnection(
        ds,
        "find days to roll up",
        c -> {
          List<LocalDate> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT d::date FROM generate_series((SELECT (min(created_at) AT TIME ZONE"
                      + " 'UTC')::date FROM image), ?::date - 1, interval '1 day') AS d"
                      + " WHERE NOT EXISTS (SELECT 1 FROM image_daily_day x WHERE x.day = d::date"
                      + " AND NOT x.dirty) ORDER BY d LIMIT ?")) {
            ps.setObject(1, today);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getObject(1, LocalDate.class));
              }
            }
          }
          return out;
        });
  }

  /**
   * Registers the day as rolled up but dirty, in the caller's (short) transaction, before the
   * rollup reads it: from then on any change to its rows bumps its version.
   */
  public void claimDay(LocalDate day) {
    DatabaseFailures.withConnection(
        ds,
        "register day " + day + " for its rollup",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO image_daily_day (day, rolled_at, dirty) VALUES (?, now(), true)"
                      + " ON CONFLICT (day) DO NOTHING")) {
            ps.setObject(1, day);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Rolls one day up, in the caller's transaction: its rows replaced, then marked clean unless a
   * change to its image rows raced the rollup (the version moved), so it stays read from rows.
   *
   * @return the day's groups
   */
  public int rollDay(LocalDate day) {
    return DatabaseFailures.withConnection(
        ds,
        "roll up day " + day,
        c -> {
          long version;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT version FROM image_daily_day WHERE day = ?")) {
            ps.setObject(1, day);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return 0;
              }
              version = rs.getLong(1);
            }
          }
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_daily WHERE day = ?")) {
            ps.setObject(1, day);
            ps.executeUpdate();
          }
          int groups;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO image_daily (day, "
                      + ROLLUP_DIMS
                      + ", images, approved, rejected, queue_wait_sum, quality, render_ms)"
                      + " SELECT ?, "
                      + ROLLUP_DIMS
                      + ", count(*), count(*) FILTER (WHERE verdict = 'approved'),"
                      + " count(*) FILTER (WHERE verdict = 'rejected'), sum(queue_wait_ms),"
                      + " coalesce(string_agg(float8send(quality), ''::bytea ORDER BY quality)"
                      + " FILTER (WHERE quality IS NOT NULL), ''::bytea),"
                      + " string_agg(int8send(render_ms), ''::bytea ORDER BY render_ms)"
                      + " FROM image WHERE created_at >= ? AND created_at < ?"
                      + " GROUP BY "
                      + ROLLUP_DIMS)) {
            ps.setObject(1, day);
            ps.setTimestamp(2, Timestamp.from(midnight(day)));
            ps.setTimestamp(3, Timestamp.from(midnight(day.plusDays(1))));
            groups = ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE image_daily_day SET dirty = (version <> ?), rolled_at = now()"
                      + " WHERE day = ?")) {
            ps.setLong(1, version);
            ps.setObject(2, day);
            ps.executeUpdate();
          }
          return groups;
        });
  }
}
