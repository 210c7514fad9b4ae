package dev.turbofarm.model.tools.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The scorer's colour-removing augmentations keep shape and take the colours away. */
class ScorerStageTest {

  private static BufferedImage redSquareOnWhite() {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        boolean product = x >= 2 && x < 6 && y >= 2 && y < 6;
        img.setRGB(x, y, product ? 0xC83232 : 0xFFFFFF);
      }
    }
    return img;
  }

  @Test
  void greyGammaDarkensAColouredProductAndKeepsAWhiteBackground() {
    BufferedImage dark = ScorerStage.greyGamma(redSquareOnWhite(), 3.0);
    assertThat(dark.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    int p = dark.getRGB(3, 3) & 0xFFFFFF;
    int v = p & 0xFF;
    // grey: the three channels are equal
    assertThat(p).isEqualTo(v << 16 | v << 8 | v);
    // luminance of (200, 50, 50) is 0.37; cubed 0.051, about 13 of 255: a near-black product
    assertThat(v).isBetween(10, 25);
    int pale = ScorerStage.greyGamma(redSquareOnWhite(), 0.35).getRGB(3, 3) & 0xFF;
    assertThat(pale).isGreaterThan(150);
  }

  @Test
  void aPermutationMovesTheColourToAnotherChannel() {
    BufferedImage swapped = ScorerStage.permuteChannels(redSquareOnWhite(), 5);
    assertThat(swapped.getRGB(3, 3) & 0xFFFFFF).isEqualTo(0x3232C8);
    assertThat(swapped.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
  }
}
