package dev.turbofarm.common.seed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeedsTest {
  @Test
  void offsetsWrapWithinTheSeedRange() {
    assertThat(Seeds.offset(1000, 42)).isEqualTo(1042);
    assertThat(Seeds.offset(Seeds.MAX_SEED - 5, 42)).as("wraps past 2^32 - 1").isEqualTo(36);
    assertThat(Seeds.offsetBetween(36, Seeds.MAX_SEED - 5)).isEqualTo(42);
    assertThat(Seeds.offsetBetween(1000, 1000)).isZero();
    for (long parent : new long[] {0, 1, 123_456_789, Seeds.MAX_SEED}) {
      for (long o : Seeds.DEFAULT_VARIANT_POOL) {
        assertThat(Seeds.offsetBetween(Seeds.offset(parent, o), parent)).isEqualTo(o);
      }
    }
  }
}
