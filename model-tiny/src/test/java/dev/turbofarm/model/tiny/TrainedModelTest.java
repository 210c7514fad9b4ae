package dev.turbofarm.model.tiny;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed weights: they load offline from the classpath, score and follow prompts. */
class TrainedModelTest {
  private static BundledPipeline pipeline;

  @BeforeAll
  static void load() {
    pipeline = BundledPipeline.loadDefault();
  }

  @AfterAll
  static void close() {
    pipeline.close();
  }

  @Test
  void committedWeightsLoadFromTheClasspath() {
    assertThat(pipeline.trained()).isTrue();
    assertThat(pipeline.modelId()).isEqualTo("turbofarm-tiny@1.5");
    assertThat(pipeline.recommendedMaxBatch()).isBetween(1, 64);
  }

  @Test
  void rendersWhatThePromptAsksFor() {
    String[] prompts = {
      "a red mug on a white background, studio photo",
      "a blue sneaker on a grey background",
      "a yellow t-shirt on a wooden table",
      "a green bottle outdoors",
      "a purple handbag on a white background",
      "an orange lamp on a grey background"
    };
    List<RenderRequest> batch = new ArrayList<>();
    for (int i = 0; i < prompts.length; i++) {
      batch.add(new RenderRequest(prompts[i], "", 256, 256, 10, 6.0, 500 + i));
    }
    List<RenderedImage> out = pipeline.render(batch);
    List<AttributeScorer.Reading> readings;
    try (NDManager m = NDManager.newBaseManager()) {
      readings = pipeline.scorer().read(m, out.stream().map(RenderedImage::image).toList());
    }
    int colours = 0;
    int objects = 0;
    int backdrops = 0;
    for (int i = 0; i < prompts.length; i++) {
      PromptAttributes want = PromptAttributes.parse(prompts[i]);
      colours += readings.get(i).bestColor() == want.color() ? 1 : 0;
      objects += readings.get(i).bestObject() == want.object() ? 1 : 0;
      backdrops += readings.get(i).bestBackdrop() == want.backdrop() ? 1 : 0;
      assertThat(out.get(i).quality()).isBetween(0.0, 1.0);
    }
    assertThat(colours).isGreaterThanOrEqualTo(5);
    assertThat(backdrops).isGreaterThanOrEqualTo(5);
    // seen pairs: the eval reads the right object in about 0.99 of them (model card); chance is
    // 1 in 6
    assertThat(objects).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aChinesePromptSteersLikeItsEnglishTwin() {
    // each row: a Chinese prompt, its English twin, and a Chinese control naming another colour
    // and object; all three render from the same seed. If the Chinese words did not steer, the
    // prompt and its control would render the same picture and one of them would miss.
    String[][] rows = {
      {"红色马克杯，白色背景", "a red mug on a white background", "绿色瓶子，白色背景"},
      {"一双蓝色运动鞋，灰色背景", "a blue sneaker on a grey background", "一个橙色手提包，灰色背景"},
      {"黄色T恤在木桌上", "a yellow t-shirt on a wooden table", "黑色台灯在木桌上"},
      {"户外的绿色瓶子", "a green bottle outdoors", "户外的粉色马克杯"},
      {"紫色手提包，白色背景", "a purple handbag on a white background", "黄色运动鞋，白色背景"},
      {"橙色台灯，灰色背景", "an orange lamp on a grey background", "蓝色T恤，灰色背景"},
      {"a 红色 mug on 木桌", "a red mug on a wooden table", "a 蓝色 lamp on 木桌"},
      {"一个 pink 背包，白色背景", "a pink handbag on a white background", "一个 black 杯子，白色背景"}
    };
    List<RenderRequest> batch = new ArrayList<>();
    for (int col = 0; col < 3; col++) {
      for (int i = 0; i < rows.length; i++) {
        batch.add(new RenderRequest(rows[i][col], "", 256, 256, 10, 6.0, 700 + i));
      }
    }
    List<AttributeScorer.Reading> readings = new ArrayList<>();
    for (int i = 0; i < batch.size(); i += 8) {
      List<RenderedImage> out = pipeline.render(batch.subList(i, i + 8));
      try (NDManager m = NDManager.newBaseManager()) {
        readings.addAll(pipeline.scorer().read(m, out.stream().map(RenderedImage::image).toList()));
      }
    }
    int n = rows.length;
    int[] hits = new int[3];
    int agree = 0;
    for (int i = 0; i < n; i++) {
      for (int col = 0; col < 3; col++) {
        AttributeScorer.Reading rd = readings.get(col * n + i);
        PromptAttributes want = PromptAttributes.parse(rows[i][col]);
        assertThat(want.color()).isNotNull();
        assertThat(want.object()).isNotNull();
        hits[col] += rd.bestColor() == want.color() && rd.bestObject() == want.object() ? 1 : 0;
      }
      AttributeScorer.Reading zh = readings.get(i);
      AttributeScorer.Reading en = readings.get(n + i);
      agree += zh.bestColor() == en.bestColor() && zh.bestObject() == en.bestObject() ? 1 : 0;
    }
    // colour and object both right; the eval measures about 0.9 per image at 512 px
    System.out.printf(
        "colour and object right: Chinese and mixed %d, English twins %d, Chinese controls %d"
            + " of %d; Chinese read as its English twin %d of %d%n",
        hits[0], hits[1], hits[2], n, agree, n);
    assertThat(hits[0]).as("Chinese and mixed prompts").isGreaterThanOrEqualTo(n - 2);
    assertThat(hits[1]).as("English twins").isGreaterThanOrEqualTo(n - 2);
    assertThat(hits[2]).as("Chinese controls").isGreaterThanOrEqualTo(n - 2);
    assertThat(agree).as("Chinese reads as its English twin").isGreaterThanOrEqualTo(n - 2);
  }
}
