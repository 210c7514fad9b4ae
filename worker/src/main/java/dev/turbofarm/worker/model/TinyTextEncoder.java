package dev.turbofarm.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.turbofarm.worker.pipeline.TextEncoder;
import java.util.List;

/**
 * Text encoder: learned word embeddings, masked mean pooling and a two-layer MLP. A bag of words
 * on purpose: an earlier version convolved neighbouring words, and it learnt "red lamp" as a
 * bigram of its own, so colour-object pairs never seen in training did not compose; with
 * pooling first, an unseen pair is the sum of two well-trained embeddings. Word order is not
 * needed in this world: object colours and background names never share a word. A prompt with
 * no known word pools to zero and encodes to the unconditional embedding that condition dropout
 * trains.
 */
public final class TinyTextEncoder implements TextEncoder {
  /** Word embedding width. */
  static final int EMBED = 64;

  /** Conditioning width handed to the denoiser. */
  public static final int DIM = 64;

  private final Params p;

  public TinyTextEncoder(Params params) {
    this.p = params;
    int v = PromptTokenizer.vocabularySize();
    p.normal("text.emb", new Shape(v, EMBED), 1.0);
    Nn.declareLinear(p, "text.mlp1", DIM, EMBED, 1.0);
    Nn.declareLinear(p, "text.mlp2", DIM, DIM, 1.0);
  }

  @Override
  public NDArray encode(NDManager manager, List<String> prompts) {
    int b = prompts.size();
    int v = PromptTokenizer.vocabularySize();
    // bag of words: per prompt, each known word's share of the prompt (rows sum to 1, or 0)
    float[] bag = new float[b * v];
    for (int i = 0; i < b; i++) {
      int[] ids = PromptTokenizer.encode(prompts.get(i));
      for (int id : ids) {
        bag[i * v + id] += 1f / ids.length;
      }
    }
    NDArray pooled = manager.create(bag, new Shape(b, v)).matMul(p.get("text.emb"));
    NDArray h = Nn.silu(Nn.linear(p, "text.mlp1", pooled));
    return Nn.linear(p, "text.mlp2", h);
  }
}
