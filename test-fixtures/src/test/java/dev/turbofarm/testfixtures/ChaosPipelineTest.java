package dev.turbofarm.testfixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.model.api.PipelineProvider;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ChaosPipelineTest {

  private static RenderRequest request(String prompt, long seed) {
    return new RenderRequest(prompt, "", 64, 64, 1, 1.0, seed);
  }

  @Test
  void isFoundByServiceLoaderAsChaos() {
    List<String> names =
        ServiceLoader.load(PipelineProvider.class).stream().map(p -> p.get().name()).toList();
    assertThat(names).contains(ChaosPipelineProvider.NAME);
  }

  @Test
  void rendersOneFlatImagePerRequestInOrder() {
    try (ChaosPipeline p = new ChaosPipeline(0)) {
      List<RenderedImage> out = p.render(List.of(request("mug", 1), request("mug", 2)));
      assertThat(out).hasSize(2);
      assertThat(out.get(0).image().getWidth()).isEqualTo(64);
      assertThat(out.get(0).image().getRGB(0, 0)).isEqualTo(out.get(0).image().getRGB(63, 63));
      assertThat(out.get(0).image().getRGB(0, 0)).isNotEqualTo(out.get(1).image().getRGB(0, 0));
      assertThat(p.modelId()).isEqualTo(ChaosPipeline.MODEL_ID);
    }
  }

  @Test
  void aPoisonPromptFailsItsWholeBatch() {
    try (ChaosPipeline p = new ChaosPipeline(0)) {
      assertThatThrownBy(
              () -> p.render(List.of(request("mug", 1), request("mug " + ChaosPipeline.POISON, 2))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("poison");
    }
  }
}
