package dev.turbofarm.coordinator.metrics.service;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * One worker's measured render throughput, in pixel-steps per second of sampler time, by image size
 * and overall, over a sliding window of recorded images. Each image counts its share of its batch's
 * wall time ({@code renderMs / batchSize}), so the figure is what a busy worker renders, not
 * diluted by idle time. Kept in memory per coordinator replica (no history table is scanned): after
 * a restart the capacity signal uses the configured default until renders come in.
 */
final class Throughput {
  /** Width of one time bucket, ms: the window slides in steps of this. */
  private static final long BUCKET_MS = 10_000;

  private final long windowMs;
  private final Deque<Bucket> buckets = new ArrayDeque<>();

  Throughput(long windowMs) {
    this.windowMs = windowMs;
  }

  /** An image size, px. */
  record Size(int width, int height) {}

  /** Sums of one size within one bucket: pixel-steps rendered and sampler time spent on them. */
  private static final class Sum {
    double pixelSteps;
    double seconds;
  }

  private static final class Bucket {
    final long startMs;
    final Map<Size, Sum> sums = new HashMap<>();

    Bucket(long startMs) {
      this.startMs = startMs;
    }
  }

  /** Counts one rendered image. */
  synchronized void add(
      long nowMs, int width, int height, int steps, long batchRenderMs, int batchSize) {
    if (batchRenderMs <= 0 || steps <= 0 || width <= 0 || height <= 0) {
      return;
    }
    long start = nowMs - Math.floorMod(nowMs, BUCKET_MS);
    Bucket b = buckets.peekLast();
    if (b == null || b.startMs != start) {
      b = new Bucket(start);
      buckets.addLast(b);
    }
    Sum s = b.sums.computeIfAbsent(new Size(width, height), k -> new Sum());
    s.pixelSteps += (double) width * height * steps;
    s.seconds += batchRenderMs / 1000.0 / Math.max(1, batchSize);
    expire(nowMs);
  }

  /**
   * The measured rates, pixel-steps per second of one worker, by size; the {@code null} key holds
   * the rate over every size. Empty when nothing was rendered within the window.
   */
  synchronized Map<Size, Double> rates(long nowMs) {
    expire(nowMs);
    Map<Size, Sum> total = new HashMap<>();
    Sum all = new Sum();
    for (Bucket b : buckets) {
      for (Map.Entry<Size, Sum> e : b.sums.entrySet()) {
        Sum t = total.computeIfAbsent(e.getKey(), k -> new Sum());
        t.pixelSteps += e.getValue().pixelSteps;
        t.seconds += e.getValue().seconds;
        all.pixelSteps += e.getValue().pixelSteps;
        all.seconds += e.getValue().seconds;
      }
    }
    Map<Size, Double> out = new HashMap<>();
    total.forEach(
        (size, s) -> {
          if (s.seconds > 0) {
            out.put(size, s.pixelSteps / s.seconds);
          }
        });
    if (all.seconds > 0) {
      out.put(null, all.pixelSteps / all.seconds);
    }
    return out;
  }

  private void expire(long nowMs) {
    while (!buckets.isEmpty() && buckets.peekFirst().startMs + BUCKET_MS <= nowMs - windowMs) {
      buckets.removeFirst();
    }
  }
}
