package dev.turbofarm.model.tiny;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoding is a sum over words, which is what lets unseen colour-object pairs compose. */
class TinyTextEncoderTest {

  @Test
  void aPairEncodesAsTheSumOfItsWords() {
    try (NDManager m = NDManager.newBaseManager();
        Params p = new Params(m, 11)) {
      TinyTextEncoder text = new TinyTextEncoder(p);
      float[] rows = text.encode(m, List.of("green sneaker", "green", "sneaker")).toFloatArray();
      int d = TinyTextEncoder.DIM;
      for (int i = 0; i < d; i++) {
        assertThat(rows[i]).isCloseTo(rows[d + i] + rows[2 * d + i], within(1e-4f));
      }
    }
  }

  @Test
  void aChineseWordHasItsOwnVector() {
    try (NDManager m = NDManager.newBaseManager();
        Params p = new Params(m, 11)) {
      TinyTextEncoder text = new TinyTextEncoder(p);
      float[] rows = text.encode(m, List.of("红色", "red", "红色 mug", "mug")).toFloatArray();
      int d = TinyTextEncoder.DIM;
      double diff = 0;
      for (int i = 0; i < d; i++) {
        diff += Math.abs(rows[i] - rows[d + i]);
        // mixed prompts add up the same way
        assertThat(rows[2 * d + i]).isCloseTo(rows[i] + rows[3 * d + i], within(1e-4f));
      }
      // untrained, the two words are unrelated: only training makes them steer alike
      assertThat(diff).isGreaterThan(0.1);
    }
  }

  @Test
  void promptsWithoutKnownWordsEncodeToZero() {
    try (NDManager m = NDManager.newBaseManager();
        Params p = new Params(m, 11)) {
      NDArray cond = new TinyTextEncoder(p).encode(m, List.of("", "今天天气很好", "zorblax"));
      for (float f : cond.toFloatArray()) {
        assertThat(f).isZero();
      }
    }
  }
}
