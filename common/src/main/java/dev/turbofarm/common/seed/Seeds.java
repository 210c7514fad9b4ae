package dev.turbofarm.common.seed;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Seed rules: the range, random draws, the seeds of a multi-image job, and seed pools (offsets that
 * make variants: the parent's seed plus each offset, modulo 2^32).
 */
public final class Seeds {
  /** Largest seed: unsigned 32-bit, as diffusion UIs show and accept them. */
  public static final long MAX_SEED = 0xFFFF_FFFFL;

  /** Default offsets for "variants of image X": X's seed plus each of these. */
  public static final List<Long> DEFAULT_VARIANT_POOL = List.of(42L, 123L, 888L, 2024L, 9999L);

  /**
   * Most offsets in one pool: a variants job renders one image per offset, and one job renders at
   * most 8 images (JobRules.MAX_COUNT), so a pool is exactly what one variants job can take.
   */
  public static final int MAX_POOL_SIZE = 8;

  /** Seeds in the 32-bit range: 2^32. */
  private static final long RANGE = MAX_SEED + 1;

  private static final RandomGenerator RANDOM = new SecureRandom();

  private Seeds() {}

  /** A fresh random seed in 0..{@link #MAX_SEED}. */
  public static long random() {
    return RANDOM.nextLong(MAX_SEED + 1);
  }

  /**
   * The seeds of a job's images: {@code first, first+1, ...} wrapping within the seed range, as
   * diffusion UIs number a batch; a random first seed when none was given. Always distinct.
   */
  public static List<Long> forJob(Long first, int count) {
    long start = first == null ? random() : first;
    List<Long> seeds = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      seeds.add((start + i) % (MAX_SEED + 1));
    }
    return seeds;
  }

  /** {@code seed + offset}, wrapped into 0..{@link #MAX_SEED}. */
  public static long offset(long seed, long offset) {
    return Math.floorMod(seed + offset, RANGE);
  }

  /**
   * The offset that leads from {@code parent} to {@code child}: {@code child - parent mod 2^32}.
   */
  public static long offsetBetween(long child, long parent) {
    return Math.floorMod(child - parent, RANGE);
  }
}
