package dev.turbofarm.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.turbofarm.worker.pipeline.TextEncoder;
import java.util.List;

/**
 * Text encoder: learned word embeddings, one convolution over neighbouring words (so "white
 * background" and "white mug" can mean different things), masked mean pooling and a projection.
 * A prompt with no known word pools to zero and encodes to the projection's bias: the
 * unconditional embedding that condition dropout trains.
 */
public final class TinyTextEncoder implements TextEncoder {
  /** Word embedding width. */
  static final int EMBED = 32;

  /** Conditioning width handed to the denoiser. */
  public static final int DIM = 64;

  private final Params p;

  public TinyTextEncoder(Params params) {
    this.p = params;
    int v = PromptTokenizer.vocabularySize();
    p.normal("text.emb", new Shape(v, EMBED), 1.0);
    p.conv("text.conv.w", DIM, EMBED, 1, 3, 1.0);
    p.constant("text.conv.b", new Shape(DIM), 0f);
    Nn.declareLinear(p, "text.proj", DIM, DIM, 1.0);
  }

  @Override
  public NDArray encode(NDManager manager, List<String> prompts) {
    int b = prompts.size();
    int t = PromptTokenizer.MAX_TOKENS;
    long[] ids = new long[b * t];
    float[] mask = new float[b * t];
    float[] invCount = new float[b];
    for (int i = 0; i < b; i++) {
      int[] row = PromptTokenizer.encode(prompts.get(i));
      for (int j = 0; j < row.length; j++) {
        ids[i * t + j] = row[j];
        mask[i * t + j] = 1f;
      }
      invCount[i] = 1f / Math.max(1, row.length);
    }
    NDArray m = manager.create(mask, new Shape(b, 1, 1, t));
    NDArray oneHot = manager.create(ids, new Shape(b, t)).oneHot(PromptTokenizer.vocabularySize());
    // [B, T, V] x [V, E] -> [B, E, 1, T]; padding rows are zeroed by the mask
    NDArray emb = oneHot.matMul(p.get("text.emb")).transpose(0, 2, 1).reshape(b, EMBED, 1, t).mul(m);
    NDArray h = Nn.silu(Nn.conv(p, "text.conv", emb, 1)).mul(m);
    NDArray pooled = h.sum(new int[] {3}).reshape(b, DIM).mul(manager.create(invCount, new Shape(b, 1)));
    return Nn.linear(p, "text.proj", pooled);
  }

}
