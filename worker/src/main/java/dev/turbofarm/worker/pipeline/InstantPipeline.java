package dev.turbofarm.worker.pipeline;

import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * BENCHMARK STUB, NOT A MODEL: "renders" a flat colour derived from the seed in microseconds, so
 * the farm's own overhead (queueing, dispatch, result recording) can be measured without model
 * time. Never the default; its model id says what it is.
 */
public final class InstantPipeline implements Pipeline {
  public static final String MODEL_ID = "instant-stub@1 (benchmark only, not a model)";

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public List<RenderedImage> render(List<RenderRequest> batch) {
    List<RenderedImage> out = new ArrayList<>(batch.size());
    for (RenderRequest r : batch) {
      BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB);
      int rgb = (int) (r.seed() * 2654435761L) & 0xFFFFFF;
      int[] row = new int[r.width()];
      java.util.Arrays.fill(row, rgb);
      for (int y = 0; y < r.height(); y++) {
        img.setRGB(0, y, r.width(), 1, row, 0, r.width());
      }
      out.add(new RenderedImage(img, null, null));
    }
    return out;
  }

  @Override
  public void close() {}
}
