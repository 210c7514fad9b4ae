package dev.turbofarm.model.tiny;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.model.api.FatalRenderException;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default bundled pipeline: determinism, exact sizes, any prompt renders. */
class BundledPipelineTest {
  private static BundledPipeline pipeline;

  @BeforeAll
  static void load() {
    pipeline = BundledPipeline.loadDefault();
  }

  @AfterAll
  static void close() {
    pipeline.close();
  }

  private static RenderRequest request(String prompt, int w, int h, int steps, long seed) {
    return new RenderRequest(prompt, "", w, h, steps, 6.0, seed);
  }

  @Test
  void modelIdNamesItsVersion() {
    assertThat(pipeline.modelId()).startsWith(BundledPipeline.MODEL_NAME + "@");
    assertThat(pipeline.modelId().substring(BundledPipeline.MODEL_NAME.length() + 1)).isNotBlank();
  }

  @Test
  void sameSeedRendersTheSameImageAloneOrInABatchOfEight() {
    String[] prompts = {
      "a red mug on a white background, studio photo",
      "a blue sneaker on a grey background",
      "green bottle on a wooden table",
      "a yellow lamp outdoors",
      "a pink handbag on a white background",
      "a black t-shirt on a grey background",
      "an orange bottle outdoors",
      "purple mug on a wooden table"
    };
    List<RenderRequest> batch = new ArrayList<>();
    for (int i = 0; i < prompts.length; i++) {
      batch.add(request(prompts[i], 256, 256, 3, 1000L + i));
    }
    List<RenderedImage> together = pipeline.render(batch);
    assertThat(together).hasSize(8);
    for (int i = 0; i < batch.size(); i++) {
      BufferedImage alone = pipeline.render(List.of(batch.get(i))).get(0).image();
      assertThat(maxDiff(alone, together.get(i).image())).as("image %d", i).isLessThanOrEqualTo(1);
    }
    // not trivially equal: different seeds and prompts give different pictures
    assertThat(maxDiff(together.get(0).image(), together.get(1).image())).isGreaterThan(10);
  }

  @Test
  void anotherBatchRenderedBetweenTheStepsOfABatchChangesNeitherOnesPixels() {
    RenderRequest bulk = request("a red mug on a white background", 256, 256, 4, 42);
    RenderRequest urgent = request("a blue sneaker on a grey background", 256, 256, 3, 7);
    BufferedImage bulkAlone = pipeline.render(List.of(bulk)).get(0).image();
    BufferedImage urgentAlone = pipeline.render(List.of(urgent)).get(0).image();
    List<BufferedImage> urgentInside = new ArrayList<>();
    int[] boundaries = {0};
    BufferedImage bulkPaused =
        pipeline
            .render(
                List.of(bulk),
                () -> {
                  boundaries[0]++;
                  urgentInside.add(pipeline.render(List.of(urgent)).get(0).image());
                })
            .get(0)
            .image();
    assertThat(boundaries[0])
        .as("a boundary after every denoising step but the last, before each decode and scoring")
        .isEqualTo(3 + 1 + 1);
    assertThat(maxDiff(bulkAlone, bulkPaused)).isLessThanOrEqualTo(1);
    for (BufferedImage img : urgentInside) {
      assertThat(maxDiff(urgentAlone, img)).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void sameSeedDifferentNeighboursSamePixels() {
    RenderRequest r = request("a red mug on a white background", 256, 256, 3, 42);
    BufferedImage a = pipeline.render(List.of(r)).get(0).image();
    BufferedImage b = pipeline.render(List.of(request("lamp", 256, 256, 3, 7), r)).get(1).image();
    assertThat(maxDiff(a, b)).isLessThanOrEqualTo(1);
    BufferedImage other =
        pipeline
            .render(List.of(request("a red mug on a white background", 256, 256, 3, 43)))
            .get(0)
            .image();
    assertThat(maxDiff(a, other)).isGreaterThan(10);
  }

  @Test
  void rendersExactlyTheRequestedSize() {
    int[][] sizes = {{256, 256}, {1024, 576}, {576, 1024}};
    for (int[] s : sizes) {
      RenderedImage img =
          pipeline.render(List.of(request("a blue bottle", s[0], s[1], 2, 5))).get(0);
      assertThat(img.image().getWidth()).isEqualTo(s[0]);
      assertThat(img.image().getHeight()).isEqualTo(s[1]);
      assertThat(img.image().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
      // the recorded sharpness is the picture's own, and a rendered product has edges: a flat or
      // blank picture would score exactly 0 (large renders at 2 steps are soft, about 0.9)
      assertThat(img.sharpness())
          .isEqualTo(Images.laplacianVariance(img.image()))
          .isGreaterThan(0.0);
    }
  }

  @Test
  void unknownPromptsRenderUnconditionedAndChineseOnesAreConditioned() {
    List<RenderedImage> out =
        pipeline.render(
            List.of(
                request("今天天气很好", 256, 256, 3, 9),
                request("zorblax quuxified flibbertigibbet", 256, 256, 3, 9),
                request("", 256, 256, 3, 9),
                request("一个红色的杯子放在白色背景上", 256, 256, 3, 9)));
    assertThat(out).hasSize(4);
    // unknown words and characters encode to the unconditional embedding, so the same seed gives
    // the same picture as the empty prompt
    assertThat(maxDiff(out.get(0).image(), out.get(2).image())).isLessThanOrEqualTo(1);
    assertThat(maxDiff(out.get(1).image(), out.get(2).image())).isLessThanOrEqualTo(1);
    assertThat(out.get(0).quality()).isNull();
    // a Chinese prompt of known words is read (since 1.4): another picture, and a quality score
    assertThat(maxDiff(out.get(3).image(), out.get(2).image())).isGreaterThan(1);
    assertThat(out.get(3).quality()).isNotNull();
  }

  @Test
  void rejectsSizesTheProfilesDoNotAllow() {
    assertThatThrownBy(() -> pipeline.render(List.of(request("mug", 300, 256, 2, 1))))
        .isInstanceOf(FatalRenderException.class)
        .hasMessageContaining("width");
    assertThatThrownBy(() -> pipeline.render(List.of(request("mug", 256, 4096, 2, 1))))
        .isInstanceOf(FatalRenderException.class)
        .hasMessageContaining("height");
  }

  static int maxDiff(BufferedImage a, BufferedImage b) {
    assertThat(a.getWidth()).isEqualTo(b.getWidth());
    assertThat(a.getHeight()).isEqualTo(b.getHeight());
    int max = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          max = Math.max(max, Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF)));
        }
      }
    }
    return max;
  }
}
