package dev.turbofarm.model.tools.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbofarm.model.tiny.Backdrop;
import dev.turbofarm.model.tiny.ColorName;
import dev.turbofarm.model.tiny.ObjectKind;
import dev.turbofarm.model.tiny.PromptAttributes;
import java.awt.image.BufferedImage;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProductPhotoGeneratorTest {

  @Test
  void sameSeedSameImagesAndCaptions() {
    List<ProductPhotoGenerator.Sample> a = ProductPhotoGenerator.trainingSet(11, 6, 128, 96);
    List<ProductPhotoGenerator.Sample> b = ProductPhotoGenerator.trainingSet(11, 6, 128, 96);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).scene()).isEqualTo(b.get(i).scene());
      assertThat(a.get(i).scene().caption()).isEqualTo(b.get(i).scene().caption());
      assertThat(pixels(a.get(i).image())).containsExactly(pixels(b.get(i).image()));
      assertThat(a.get(i).image().getWidth()).isEqualTo(128);
      assertThat(a.get(i).image().getHeight()).isEqualTo(96);
    }
    List<ProductPhotoGenerator.Sample> c = ProductPhotoGenerator.trainingSet(12, 6, 128, 96);
    assertThat(pixels(c.get(0).image())).isNotEqualTo(pixels(a.get(0).image()));
  }

  @Test
  void captionNamesTheAttributes() {
    Scene s = Scene.random(new SplittableRandom(3), ObjectKind.MUG, ColorName.RED, Backdrop.WHITE);
    Scene first =
        new Scene(
            s.object(),
            s.color(),
            s.backdrop(),
            s.cx(),
            s.cy(),
            s.size(),
            s.angle(),
            s.brightness(),
            s.variant(),
            0);
    assertThat(first.caption()).isEqualTo("a red mug on a white background, studio photo");
    assertThat(PromptAttributes.parse(first.caption()))
        .isEqualTo(new PromptAttributes(ObjectKind.MUG, ColorName.RED, Backdrop.WHITE));
  }

  @Test
  void trainingDataCoversEveryAttributeButNeverAHeldOutPair() {
    EnumSet<ObjectKind> objects = EnumSet.noneOf(ObjectKind.class);
    EnumSet<ColorName> colors = EnumSet.noneOf(ColorName.class);
    EnumSet<Backdrop> backdrops = EnumSet.noneOf(Backdrop.class);
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 2000; i++) {
      Scene s = ProductPhotoGenerator.randomTrainingScene(r);
      assertThat(ProductPhotoGenerator.HELD_OUT)
          .doesNotContain(new ProductPhotoGenerator.Pair(s.color(), s.object()));
      objects.add(s.object());
      colors.add(s.color());
      backdrops.add(s.backdrop());
    }
    assertThat(objects).hasSize(6);
    assertThat(colors).hasSize(8);
    assertThat(backdrops).hasSize(4);
    assertThat(ProductPhotoGenerator.HELD_OUT).hasSizeGreaterThanOrEqualTo(10);
  }

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }
}
