package dev.turbofarm.model.tiny;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Word-level tokenizer over a closed bilingual vocabulary. English is split on anything that is not
 * an ASCII letter; Chinese, written without spaces, is segmented by forward maximum matching over
 * the vocabulary's Chinese entries (at each position the longest entry that starts there, so 红色马克杯
 * reads 红色 + 马克杯 and 灯光 is lighting, not 灯 lamp + 光). Every word, English or Chinese, has its own
 * id. Unknown English words and unknown Chinese characters are dropped, so any prompt in any
 * language encodes; a prompt of only unknown words encodes like the empty prompt (unconditioned).
 */
public final class PromptTokenizer {
  /** Longest token sequence kept; captions use about 12 tokens. */
  public static final int MAX_TOKENS = 24;

  /** Id 0 is padding. */
  public static final int PAD = 0;

  /** Filler words of the English captions. */
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

  /**
   * Filler words of the Chinese captions, and a few common words that would otherwise be misread as
   * attribute characters (灯光 lighting, 包装 packaging).
   */
  private static final List<String> CHINESE_FILLER =
      List.of(
          "一个", "一只", "一件", "一双", "一盏", "的", "在", "上", "放在", "和", "背景", "照片", "产品", "商品", "产品图",
          "摄影", "影棚", "棚拍", "自然光", "柔光", "特写", "图片", "灯光", "包装");

  private static final Map<String, Integer> VOCAB = buildVocab();

  /** Vocabulary entries that contain a non-ASCII character: the ones matched by segmentation. */
  private static final Map<String, Integer> CHINESE =
      VOCAB.entrySet().stream()
          .filter(e -> !e.getKey().chars().allMatch(ch -> ch < 128))
          .collect(
              java.util.stream.Collectors.toUnmodifiableMap(
                  Map.Entry::getKey, Map.Entry::getValue));

  private static final int LONGEST_CHINESE =
      CHINESE.keySet().stream().mapToInt(String::length).max().orElse(0);

  private PromptTokenizer() {}

  private static Map<String, Integer> buildVocab() {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    List<Vocabulary> attributes = new ArrayList<>();
    attributes.addAll(List.of(ObjectKind.values()));
    attributes.addAll(List.of(ColorName.values()));
    attributes.addAll(List.of(Backdrop.values()));
    // English first, in the order of 1.3, then Chinese: ids are per word, never shared
    List<String> all = new ArrayList<>(FILLER);
    attributes.forEach(a -> all.addAll(a.english()));
    all.addAll(CHINESE_FILLER);
    attributes.forEach(a -> all.addAll(a.chinese()));
    for (String word : all) {
      if (vocab.putIfAbsent(word, vocab.size() + 1) != null) {
        throw new IllegalStateException("word " + word + " named twice in the vocabulary");
      }
    }
    return Map.copyOf(vocab);
  }

  /** Vocabulary size including the padding id. */
  public static int vocabularySize() {
    return VOCAB.size() + 1;
  }

  /** Every vocabulary word. */
  public static java.util.Set<String> words() {
    return VOCAB.keySet();
  }

  /** The id of a vocabulary word, or -1 when it is not one. */
  static int id(String word) {
    return VOCAB.getOrDefault(word, -1);
  }

  /**
   * Splits a prompt into words: NFKC (full-width letters and punctuation to their plain forms),
   * lower case, t-shirt spellings joined; runs of ASCII letters are words; Chinese text is
   * segmented by forward maximum matching over the vocabulary's Chinese entries, a character that
   * starts no entry becoming a word of its own. Unknown words are kept here; {@link #encode} drops
   * them.
   */
  public static List<String> normalise(String prompt) {
    if (prompt == null) {
      return List.of();
    }
    String text =
        Normalizer.normalize(prompt, Normalizer.Form.NFKC)
            .toLowerCase(Locale.ROOT)
            .replace("t-shirt", "tshirt")
            .replace("t shirt", "tshirt");
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      boolean wordStart = isAsciiLetter(cp) && (i == 0 || !isAsciiLetter(text.charAt(i - 1)));
      if (isHan(cp) || wordStart) {
        // the longest Chinese entry starting here; entries such as t恤 start with a letter
        String match = longestChineseEntry(text, i);
        if (match != null) {
          out.add(match);
          i += match.length();
          continue;
        }
      }
      int next = i + Character.charCount(cp);
      if (isAsciiLetter(cp)) {
        while (next < text.length() && isAsciiLetter(text.charAt(next))) {
          next++;
        }
        out.add(text.substring(i, next));
      } else if (isHan(cp)) {
        out.add(text.substring(i, next));
      }
      i = next;
    }
    return out;
  }

  private static String longestChineseEntry(String text, int start) {
    for (int len = Math.min(LONGEST_CHINESE, text.length() - start); len > 0; len--) {
      String candidate = text.substring(start, start + len);
      if (CHINESE.containsKey(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean isAsciiLetter(int cp) {
    return cp >= 'a' && cp <= 'z';
  }

  private static boolean isHan(int cp) {
    return Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
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
