package dev.turbofarm.coordinator.analytics.service;

import dev.turbofarm.coordinator.analytics.Dimension;
import dev.turbofarm.coordinator.analytics.persistence.AnalyticsRepository.RollupSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers days' rollups and image rows into a summary's groups, exactly: counts and sums add up,
 * and each percentile is taken over all of the group's values (the rollups keep every value,
 * sorted), with PostgreSQL's {@code percentile_cont} rule. Means are sums over counts; they equal
 * SQL's {@code avg} up to the order of floating-point additions (a few units in the last place).
 * What it gathered can be kept as {@link Part}s and merged with other parts later (the rolled-up
 * days of a window, cached, with today's rows).
 */
final class SummaryAggregator implements RollupSink {
  private final List<Dimension> groupBy;
  private final Map<List<Object>, Acc> groups = new HashMap<>();

  SummaryAggregator(List<Dimension> groupBy) {
    this.groupBy = List.copyOf(groupBy);
  }

  /**
   * One group's figures over some of the days, its values sorted.
   *
   * @param qualitySum the sum of {@code quality}
   */
  record Part(
      long images,
      long approved,
      long rejected,
      long queueWaitSum,
      double qualitySum,
      double[] quality,
      long[] renderMs) {

    /** Values held, for a cache's bound. */
    long values() {
      return quality.length + (long) renderMs.length;
    }

    Part plus(Part o) {
      return new Part(
          images + o.images,
          approved + o.approved,
          rejected + o.rejected,
          queueWaitSum + o.queueWaitSum,
          qualitySum + o.qualitySum,
          merge(quality, o.quality),
          merge(renderMs, o.renderMs));
    }
  }

  /** One group's running figures. */
  private static final class Acc {
    long images;
    long approved;
    long rejected;
    long queueWaitSum;
    final List<double[]> qualityPacks = new ArrayList<>();
    final List<long[]> renderPacks = new ArrayList<>();
    double[] quality = new double[16];
    int qualityN;
    long[] render = new long[16];
    int renderN;

    void add(Double q, long renderMs) {
      if (q != null) {
        if (qualityN == quality.length) {
          quality = Arrays.copyOf(quality, qualityN * 2);
        }
        quality[qualityN++] = q;
      }
      if (renderN == render.length) {
        render = Arrays.copyOf(render, renderN * 2);
      }
      render[renderN++] = renderMs;
    }

    Part part() {
      int qn = qualityN + qualityPacks.stream().mapToInt(a -> a.length).sum();
      double[] q = Arrays.copyOf(quality, qn);
      int at = qualityN;
      for (double[] p : qualityPacks) {
        System.arraycopy(p, 0, q, at, p.length);
        at += p.length;
      }
      Arrays.sort(q);
      int rn = renderN + renderPacks.stream().mapToInt(a -> a.length).sum();
      long[] r = Arrays.copyOf(render, rn);
      at = renderN;
      for (long[] p : renderPacks) {
        System.arraycopy(p, 0, r, at, p.length);
        at += p.length;
      }
      Arrays.sort(r);
      double sum = 0;
      for (double v : q) {
        sum += v;
      }
      return new Part(images, approved, rejected, queueWaitSum, sum, q, r);
    }
  }

  @Override
  public void rollup(
      Object[] dims,
      long images,
      long approved,
      long rejected,
      long queueWaitSum,
      double[] quality,
      long[] renderMs) {
    Acc a = groups.computeIfAbsent(key(dims), k -> new Acc());
    a.images += images;
    a.approved += approved;
    a.rejected += rejected;
    a.queueWaitSum += queueWaitSum;
    a.qualityPacks.add(quality);
    a.renderPacks.add(renderMs);
  }

  @Override
  public void row(Object[] dims, Double quality, long renderMs, long queueWaitMs, String verdict) {
    Acc a = groups.computeIfAbsent(key(dims), k -> new Acc());
    a.images++;
    if ("approved".equals(verdict)) {
      a.approved++;
    } else if ("rejected".equals(verdict)) {
      a.rejected++;
    }
    a.queueWaitSum += queueWaitMs;
    a.add(quality, renderMs);
  }

  /** What was gathered, per group. */
  Map<List<Object>, Part> parts() {
    Map<List<Object>, Part> out = new LinkedHashMap<>();
    groups.forEach((k, a) -> out.put(k, a.part()));
    return out;
  }

  /** The groups gathered, ordered by their keys (nulls last), as SQL's {@code ORDER BY} would. */
  List<Summary.Group> groups() {
    return groups(List.of(parts()));
  }

  /** The groups of several parts of one summary (e.g. rolled-up days and today's rows). */
  static List<Summary.Group> groups(List<Map<List<Object>, Part>> parts) {
    Map<List<Object>, Part> all = new HashMap<>();
    for (Map<List<Object>, Part> p : parts) {
      p.forEach((k, v) -> all.merge(k, v, Part::plus));
    }
    List<Summary.Group> out = new ArrayList<>(all.size());
    all.forEach((k, p) -> out.add(group(k, p)));
    out.sort(Comparator.comparing(Summary.Group::key, SummaryAggregator::compareKeys));
    return out;
  }

  private static Summary.Group group(List<Object> key, Part p) {
    double[] q = p.quality();
    long[] r = p.renderMs();
    long reviewed = p.approved() + p.rejected();
    return new Summary.Group(
        key,
        p.images(),
        q.length == 0 ? null : p.qualitySum() / q.length,
        q.length == 0 ? null : percentileCont(q, 0.5),
        p.approved(),
        p.rejected(),
        reviewed == 0 ? null : p.approved() / (double) reviewed,
        r.length == 0 ? null : percentileCont(r, 0.5),
        r.length == 0 ? null : percentileCont(r, 0.95),
        p.images() == 0 ? null : p.queueWaitSum() / (double) p.images());
  }

  static double[] merge(double[] a, double[] b) {
    double[] out = new double[a.length + b.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.length && j < b.length) {
      out[k++] = Double.compare(a[i], b[j]) <= 0 ? a[i++] : b[j++];
    }
    System.arraycopy(a, i, out, k, a.length - i);
    System.arraycopy(b, j, out, k + a.length - i, b.length - j);
    return out;
  }

  static long[] merge(long[] a, long[] b) {
    long[] out = new long[a.length + b.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.length && j < b.length) {
      out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
    }
    System.arraycopy(a, i, out, k, a.length - i);
    System.arraycopy(b, j, out, k + a.length - i, b.length - j);
    return out;
  }

  /**
   * PostgreSQL's {@code percentile_cont} over ascending values: the value at position {@code p * (n
   * - 1)}, interpolated linearly between its neighbours.
   */
  static double percentileCont(double[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    double first = sorted[lo];
    if (lo == hi) {
      return first;
    }
    return first + (sorted[hi] - first) * (pos - lo);
  }

  /** The same for whole numbers, which {@code percentile_cont} reads as double precision. */
  static double percentileCont(long[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    double first = sorted[lo];
    if (lo == hi) {
      return first;
    }
    return first + ((double) sorted[hi] - first) * (pos - lo);
  }

  private List<Object> key(Object[] dims) {
    List<Object> k = new ArrayList<>(groupBy.size());
    for (Dimension d : groupBy) {
      k.add(
          switch (d) {
            case DAY -> dims[0];
            case TEAM -> dims[1];
            case PROFILE -> dims[2];
            case STEP_PROFILE -> dims[3];
            case STEPS -> dims[4];
            case MODEL -> dims[5];
            case WIDTH -> dims[6];
            case HEIGHT -> dims[7];
            case SIZE -> dims[6] + "x" + dims[7];
            case GUIDANCE -> dims[8];
            default -> throw new IllegalArgumentException(d + " is not kept by a rollup");
          });
    }
    return k;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareKeys(List<Object> a, List<Object> b) {
    for (int i = 0; i < a.size(); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      if (x == null || y == null) {
        if (x != y) {
          return x == null ? 1 : -1;
        }
        continue;
      }
      int c = ((Comparable) x).compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
