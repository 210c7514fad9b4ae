package dev.turbofarm.worker.pipeline;

import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.RenderRequest;
import dev.turbofarm.model.api.RenderedImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * BENCHMARK STUB, NOT A MODEL: "renders" seeded noise in milliseconds. Its PNGs do not compress
 * (about 3 bytes a pixel, 12 MB at 2048x2048), so storage, downloads and ZIP export can be measured
 * on realistic byte counts without model time, where the instant stub's flat colour compresses to
 * almost nothing. Never the default; its model id says what it is.
 */
public final class NoisePipeline implements Pipeline {
  public static final String MODEL_ID = "noise-stub@1 (benchmark only, not a model)";

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public List<RenderedImage> render(List<RenderRequest> batch) {
    List<RenderedImage> out = new ArrayList<>(batch.size());
    for (RenderRequest r : batch) {
      BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB);
      SplittableRandom random = new SplittableRandom(r.seed());
      int[] row = new int[r.width()];
      for (int y = 0; y < r.height(); y++) {
        for (int x = 0; x < row.length; x++) {
          row[x] = random.nextInt(1 << 24);
        }
        img.setRGB(0, y, r.width(), 1, row, 0, r.width());
      }
      out.add(new RenderedImage(img, null, null));
    }
    return out;
  }

  @Override
  public void close() {}
}
