package dev.turbofarm.model.tools.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbofarm.model.tiny.Backdrop;
import dev.turbofarm.model.tiny.ColorName;
import dev.turbofarm.model.tiny.ObjectKind;
import dev.turbofarm.model.tiny.PromptAttributes;
import dev.turbofarm.model.tiny.PromptTokenizer;
import java.awt.image.BufferedImage;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
  void captionsInEveryLanguageNameTheSceneAndTrainingCaptionsNeverAnotherAttribute() {
    Scene s = new Scene(ObjectKind.MUG, ColorName.RED, Backdrop.WOOD, 0.5, 0.5, 0.6, 0, 1, 0, 1);
    assertThat(s.caption(CaptionLanguage.CHINESE)).isEqualTo("红色马克杯在木桌上");
    SplittableRandom r = new SplittableRandom(8);
    double[] mix = {0.4, 0.3, 0.3};
    int mixed = 0;
    for (int i = 0; i < 3000; i++) {
      Scene scene = ProductPhotoGenerator.randomTrainingScene(r);
      PromptAttributes all = new PromptAttributes(scene.object(), scene.color(), scene.backdrop());
      for (CaptionLanguage language : CaptionLanguage.values()) {
        assertThat(PromptAttributes.parse(scene.caption(language)))
            .as(scene.caption(language))
            .isEqualTo(all);
      }
      String mixedCaption = scene.caption(CaptionLanguage.MIXED);
      if (mixedCaption.matches(".*[a-z].*") && mixedCaption.matches(".*\\p{IsHan}.*")) {
        mixed++;
      }
      // a training caption may leave an attribute out but never names a wrong one
      String caption = scene.randomCaption(r, mix);
      PromptAttributes got = PromptAttributes.parse(caption);
      assertThat(got.object()).as(caption).isIn(null, scene.object());
      assertThat(got.color()).as(caption).isIn(null, scene.color());
      assertThat(got.backdrop()).as(caption).isIn(null, scene.backdrop());
    }
    assertThat(mixed).isEqualTo(3000);
  }

  @Test
  void leaveOutChancesDecideWhichAttributesACaptionNames() {
    SplittableRandom r = new SplittableRandom(9);
    double[] mix = {0.4, 0.3, 0.3};
    int withoutColour = 0;
    int withoutObject = 0;
    int n = 4000;
    for (int i = 0; i < n; i++) {
      Scene s = ProductPhotoGenerator.randomTrainingScene(r);
      String always = s.randomCaption(r, mix, 0.25, 0.3, new double[] {0, 0, 0});
      assertThat(PromptAttributes.parse(always))
          .as(always)
          .isEqualTo(new PromptAttributes(s.object(), s.color(), s.backdrop()));
      String noColour = s.randomCaption(r, mix, 0.25, 0.3, new double[] {1, 0, 0});
      assertThat(PromptAttributes.parse(noColour).color()).as(noColour).isNull();
      assertThat(PromptAttributes.parse(noColour).object()).as(noColour).isEqualTo(s.object());
      PromptAttributes some =
          PromptAttributes.parse(s.randomCaption(r, mix, 0.25, 0.3, new double[] {0.3, 0.05, 0}));
      withoutColour += some.color() == null ? 1 : 0;
      withoutObject += some.object() == null ? 1 : 0;
    }
    // 1,200 and 200 expected; binomial standard deviations 29 and 14
    assertThat(withoutColour).isBetween(1080, 1320);
    assertThat(withoutObject).isBetween(140, 260);
  }

  @Test
  void everyVocabularyWordOccursInTrainingCaptions() {
    // a word that no caption uses keeps its random initial embedding and would steer at random
    Set<String> seen = new HashSet<>();
    SplittableRandom r = new SplittableRandom(3);
    double[] mix = {0.4, 0.3, 0.3};
    for (int i = 0; i < 20_000; i++) {
      Scene s = ProductPhotoGenerator.randomTrainingScene(r);
      seen.addAll(PromptTokenizer.normalise(s.randomCaption(r, mix)));
    }
    assertThat(seen).containsAll(PromptTokenizer.words());
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
