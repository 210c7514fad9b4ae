package dev.turbofarm.coordinator.analytics.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.turbofarm.coordinator.analytics.Dimension;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryAggregatorTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 1);

  private static Object[] dims(LocalDate day, String profile, int steps) {
    return new Object[] {day, "team", profile, "explore", steps, "m@1", 512, 512, 6.0};
  }

  @Test
  void percentileContFollowsPostgres() {
    assertThat(SummaryAggregator.percentileCont(new double[] {1, 2, 3, 4}, 0.5)).isEqualTo(2.5);
    assertThat(SummaryAggregator.percentileCont(new double[] {7}, 0.95)).isEqualTo(7);
    assertThat(SummaryAggregator.percentileCont(new long[] {100, 200, 300, 400}, 0.95))
        .isEqualTo(300 + 100 * (0.95 * 3 - 2));
    assertThat(SummaryAggregator.percentileCont(new long[] {10, 20}, 0.5)).isEqualTo(15);
  }

  @Test
  void rollupsAndRowsMergeIntoOneExactGroup() {
    SummaryAggregator agg = new SummaryAggregator(List.of(Dimension.PROFILE, Dimension.STEPS));
    // Two days rolled up, one read from rows: the same figures as one pass over all rows.
    agg.rollup(
        dims(DAY, "draft", 10), 2, 1, 1, 30, new double[] {0.25, 0.5}, new long[] {100, 200});
    agg.rollup(
        dims(DAY.plusDays(1), "draft", 10), 1, 1, 0, 30, new double[] {0.75}, new long[] {300});
    agg.row(dims(DAY.plusDays(2), "draft", 10), 1.0, 400, 40, null);
    agg.row(dims(DAY.plusDays(2), "draft", 10), null, 50, 0, "approved");
    agg.row(dims(DAY, "portrait", 30), 0.5, 1000, 100, "rejected");
    List<Summary.Group> groups = agg.groups();
    assertThat(groups)
        .extracting(Summary.Group::key)
        .containsExactly(List.of("draft", 10), List.of("portrait", 30));
    Summary.Group d = groups.get(0);
    assertThat(d.images()).isEqualTo(5);
    assertThat(d.meanQuality()).isEqualTo(0.625);
    assertThat(d.p50Quality()).isEqualTo(0.625);
    assertThat(d.approved()).isEqualTo(3);
    assertThat(d.rejected()).isEqualTo(1);
    assertThat(d.approvalRate()).isEqualTo(0.75);
    assertThat(d.p50RenderMs()).isEqualTo(200);
    assertThat(d.p95RenderMs()).isEqualTo(300 + 100 * (0.95 * 4 - 3));
    assertThat(d.meanQueueWaitMs()).isEqualTo(20);
    Summary.Group p = groups.get(1);
    assertThat(p.approvalRate()).isZero();
    assertThat(p.p50Quality()).isEqualTo(0.5);
  }

  @Test
  void aGroupWithoutQualityOrReviewsHasNoFiguresForThem() {
    SummaryAggregator agg = new SummaryAggregator(List.of(Dimension.SIZE, Dimension.DAY));
    agg.row(dims(DAY, "draft", 10), null, 10, 5, null);
    Summary.Group g = agg.groups().get(0);
    assertThat(g.key()).containsExactly("512x512", DAY);
    assertThat(g.meanQuality()).isNull();
    assertThat(g.p50Quality()).isNull();
    assertThat(g.approvalRate()).isNull();
    assertThat(g.p50RenderMs()).isEqualTo(10);
  }

  @Test
  void partsKeptApartMergeIntoTheSameFiguresAsOnePass() {
    List<Dimension> by = List.of(Dimension.PROFILE);
    SummaryAggregator one = new SummaryAggregator(by);
    SummaryAggregator rolled = new SummaryAggregator(by);
    SummaryAggregator today = new SummaryAggregator(by);
    double[] q = {0.9, 0.1, 0.5, 0.3, 0.7, 0.2};
    for (int i = 0; i < q.length; i++) {
      Object[] dims = dims(DAY.plusDays(i), "draft", 10);
      one.row(dims, q[i], 100L * i, i, i % 2 == 0 ? "approved" : null);
      (i < 4 ? rolled : today).row(dims, q[i], 100L * i, i, i % 2 == 0 ? "approved" : null);
    }
    Summary.Group whole = one.groups().get(0);
    Summary.Group merged = SummaryAggregator.groups(List.of(rolled.parts(), today.parts())).get(0);
    assertThat(merged.p50Quality()).isEqualTo(whole.p50Quality()).isEqualTo(0.4);
    assertThat(merged.p95RenderMs()).isEqualTo(whole.p95RenderMs());
    assertThat(merged.images()).isEqualTo(6);
    assertThat(merged.approved()).isEqualTo(3);
    assertThat(merged.meanQuality()).isCloseTo(whole.meanQuality(), within(1e-15));
  }
}
