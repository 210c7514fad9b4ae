package dev.turbofarm.coordinator.analytics.service;

import dev.turbofarm.coordinator.analytics.Dimension;
import dev.turbofarm.coordinator.analytics.HistoryCursor;
import dev.turbofarm.coordinator.analytics.HistoryImage;
import dev.turbofarm.coordinator.analytics.ImageFilter;
import dev.turbofarm.coordinator.analytics.SeedStat;
import dev.turbofarm.coordinator.analytics.persistence.AnalyticsRepository;
import dev.turbofarm.coordinator.analytics.persistence.AnalyticsRepository.HistorySink;
import dev.turbofarm.coordinator.analytics.persistence.AnalyticsRepository.SummaryRow;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The analysts' read-only history: pages of images by keyset, full exports, summaries and seed
 * rankings. Every figure equals SQL over the same image rows; summaries read closed days from their
 * rollups when the filters and groups allow it ({@link SummaryAggregator}).
 */
@ApplicationScoped
public class AnalyticsService {
  /** Longest export, s: the cursor's transaction stays open while a client reads. */
  private static final int EXPORT_TIMEOUT_S = 3600;

  private final AnalyticsRepository analytics;
  private final RollupCache cache;

  AnalyticsService(AnalyticsRepository analytics, RollupCache cache) {
    this.analytics = analytics;
    this.cache = cache;
  }

  /**
   * A page of history, newest first.
   *
   * @param next where the next page starts; null on the last page
   */
  public record Page(List<HistoryImage> images, HistoryCursor next) {}

  /** Up to {@code limit} matching images after {@code after} (null: the newest). */
  public Page history(ImageFilter f, HistoryCursor after, int limit) {
    List<HistoryImage> rows = analytics.historyPage(f, after, limit + 1);
    if (rows.size() <= limit) {
      return new Page(rows, null);
    }
    List<HistoryImage> page = rows.subList(0, limit);
    HistoryImage last = page.get(limit - 1);
    return new Page(
        List.copyOf(page),
        new HistoryCursor(last.renderedAt().toInstant(), last.jobId(), last.index()));
  }

  /** Every matching image, newest first, to {@code sink}. */
  @Transactional
  @TransactionConfiguration(timeout = EXPORT_TIMEOUT_S)
  public void export(ImageFilter f, HistorySink sink) throws java.io.IOException {
    try {
      analytics.forEachHistoryImage(f, sink);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * The summary over UTC days {@code from..to}: from rollups plus today's rows when every filter
   * and group is one a rollup keeps, else straight from the rows.
   */
  public Summary summary(ImageFilter f, List<Dimension> groupBy, LocalDate from, LocalDate to) {
    List<String> names = groupBy.stream().map(Dimension::apiName).toList();
    int days = (int) (to.toEpochDay() - from.toEpochDay() + 1);
    if (f.onRollupDimensionsOnly() && groupBy.stream().allMatch(Dimension::rolledUp)) {
      SummaryAggregator rolledUp = new SummaryAggregator(groupBy);
      SummaryAggregator rows = new SummaryAggregator(groupBy);
      RollupCache.Key[] key = new RollupCache.Key[1];
      List<Map<List<Object>, SummaryAggregator.Part>> cached = new ArrayList<>(1);
      int rolled =
          analytics.readForSummary(
              f,
              from,
              to,
              new AnalyticsRepository.SummaryReader() {
                @Override
                public AnalyticsRepository.RollupSink rolledDays(
                    SortedMap<LocalDate, OffsetDateTime> rolledDays) {
                  key[0] = new RollupCache.Key(f, List.copyOf(groupBy), new TreeMap<>(rolledDays));
                  Map<List<Object>, SummaryAggregator.Part> hit = cache.get(key[0]);
                  if (hit != null) {
                    cached.add(hit);
                    return null;
                  }
                  return rolledUp;
                }

                @Override
                public AnalyticsRepository.RollupSink rows() {
                  return rows;
                }
              });
      Map<List<Object>, SummaryAggregator.Part> rolledParts;
      if (!cached.isEmpty()) {
        rolledParts = cached.get(0);
      } else {
        rolledParts = rolledUp.parts();
        if (key[0] != null) {
          cache.put(key[0], rolledParts);
        }
      }
      return new Summary(
          from,
          to,
          names,
          SummaryAggregator.groups(List.of(rolledParts, rows.parts())),
          rolled,
          days - rolled);
    }
    return new Summary(from, to, names, summaryFromRows(f, groupBy, from, to), 0, days);
  }

  /** The summary by one SQL statement over the rows: the reference the rollups must equal. */
  public List<Summary.Group> summaryFromRows(
      ImageFilter f, List<Dimension> groupBy, LocalDate from, LocalDate to) {
    ImageFilter bounded =
        new ImageFilter(
            f.teams(),
            f.team(),
            f.batchId(),
            f.model(),
            f.profile(),
            f.stepProfile(),
            f.width(),
            f.height(),
            f.steps(),
            f.guidance(),
            f.seed(),
            from.atStartOfDay(ZoneOffset.UTC).toInstant(),
            to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
            f.qualityMin(),
            f.qualityMax(),
            f.verdict(),
            f.prompt(),
            f.derivation());
    return analytics.summaryFromRows(bounded, groupBy).stream()
        .map(AnalyticsService::group)
        .toList();
  }

  /**
   * Seeds, and the pool offsets of variants, ranked by approval rate, then mean quality.
   *
   * @param seeds the seeds of matching images
   * @param offsets the offsets (seed minus parent's seed, mod 2^32) of matching variants
   */
  public record SeedRanking(List<SeedStat> seeds, List<SeedStat> offsets) {}

  public SeedRanking seeds(ImageFilter f, int minImages, int limit) {
    List<List<SeedStat>> r = analytics.seedRankings(f, minImages, limit);
    return new SeedRanking(r.get(0), r.get(1));
  }

  private static Summary.Group group(SummaryRow r) {
    return new Summary.Group(
        r.key(),
        r.images(),
        r.meanQuality(),
        r.p50Quality(),
        r.approved(),
        r.rejected(),
        r.approvalRate(),
        r.p50RenderMs(),
        r.p95RenderMs(),
        r.meanQueueWaitMs());
  }
}
