package dev.turbofarm.common.seed;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Seed rules: the range, random draws, and the seeds of a multi-image job. */
public final class Seeds {
  /** Largest seed: unsigned 32-bit, as diffusion UIs show and accept them. */
  public static final long MAX_SEED = 0xFFFF_FFFFL;

  /** Default offsets for "variants of image X": X's seed plus each of these. */
  public static final List<Long> DEFAULT_VARIANT_POOL = List.of(42L, 123L, 888L, 2024L, 9999L);

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
}
