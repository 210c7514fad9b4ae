package dev.turbofarm.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.turbofarm.model.api.TextEncoder;
import java.util.List;

/**
 * Text encoder: learned word embeddings, a two-layer MLP applied to each word on its own, and a sum
 * over the prompt's known words. The encoding is additive in the words on purpose: a colour-object
 * pair never seen in training is exactly the sum of the two words' vectors, each trained in many
 * combinations. Version 1.0 convolved neighbouring words and learnt "red lamp" as a bigram of its
 * own; versions 1.1 and 1.2 put the MLP after a mean over the words, which still let the network
 * entangle a pair (held-out object accuracy 0.388 against 0.792 on seen pairs) and let filler words
 * dilute the object word in long captions. A sum keeps each word's weight independent of the
 * caption's length. Word order is not needed in this world: object colours and background names
 * never share a word. A prompt with no known word sums to zero, the unconditional embedding that
 * condition dropout trains.
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
    // bag of words: per prompt, how often each known word occurs (a row of zeros for none)
    float[] bag = new float[b * v];
    for (int i = 0; i < b; i++) {
      for (int id : PromptTokenizer.encode(prompts.get(i))) {
        bag[i * v + id] += 1f;
      }
    }
    // every word through the MLP on its own, then summed per prompt; the padding id's vector is
    // never counted, so an empty bag gives exactly zero
    NDArray words =
        Nn.linear(p, "text.mlp2", Nn.silu(Nn.linear(p, "text.mlp1", p.get("text.emb"))));
    return manager.create(bag, new Shape(b, v)).matMul(words);
  }
}
