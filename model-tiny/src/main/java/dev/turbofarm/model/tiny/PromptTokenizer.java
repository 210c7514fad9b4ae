package dev.turbofarm.model.tiny;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Word-level tokenizer over a closed vocabulary. Words outside it are dropped, so any prompt in any
 * language encodes; a prompt of only unknown words encodes like the empty prompt (unconditioned).
 */
public final class PromptTokenizer {
  /** Longest token sequence kept; captions use about 12 tokens. */
  public static final int MAX_TOKENS = 24;

  /** Id 0 is padding. */
  public static final int PAD = 0;

  /** Filler words of the captions: known so that word order around them is learnt. */
  private static final List<String> FILLER =
      List.of(
          "a",
          "an",
          "the",
          "on",
          "in",
          "with",
          "of",
          "and",
          "background",
          "studio",
          "photo",
          "product",
          "shot",
          "natural",
          "light",
          "soft",
          "closeup",
          "picture",
          "image");

  private static final Map<String, Integer> VOCAB = buildVocab();

  private PromptTokenizer() {}

  private static Map<String, Integer> buildVocab() {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(FILLER);
    for (ObjectKind k : ObjectKind.values()) {
      all.addAll(k.words());
    }
    for (ColorName c : ColorName.values()) {
      all.addAll(c.words());
    }
    for (Backdrop b : Backdrop.values()) {
      all.addAll(b.words());
    }
    for (String word : all) {
      vocab.putIfAbsent(word, vocab.size() + 1);
    }
    return Map.copyOf(vocab);
  }

  /** Vocabulary size including the padding id. */
  public static int vocabularySize() {
    return VOCAB.size() + 1;
  }

  /**
   * Lower-cases, splits on anything that is not an ASCII letter and joins the t-shirt spellings.
   * Unknown words are kept here; {@link #encode} drops them.
   */
  public static List<String> normalise(String prompt) {
    if (prompt == null) {
      return List.of();
    }
    String text =
        prompt.toLowerCase(Locale.ROOT).replace("t-shirt", "tshirt").replace("t shirt", "tshirt");
    List<String> out = new ArrayList<>();
    for (String word : text.split("[^a-z]+")) {
      if (!word.isEmpty()) {
        out.add(word);
      }
    }
    return out;
  }

  /** Ids of the known words in order, at most {@link #MAX_TOKENS}. */
  public static int[] encode(String prompt) {
    return normalise(prompt).stream()
        .map(VOCAB::get)
        .filter(id -> id != null)
        .mapToInt(Integer::intValue)
        .limit(MAX_TOKENS)
        .toArray();
  }

  /** Ids padded with {@link #PAD} to {@code length}. */
  public static int[] encodePadded(String prompt, int length) {
    return Arrays.copyOf(encode(prompt), length);
  }
}
