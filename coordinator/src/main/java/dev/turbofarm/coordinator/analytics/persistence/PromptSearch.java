package dev.turbofarm.coordinator.analytics.persistence;

/**
 * Prompt search that works for English and Chinese alike. The condition is always {@code prompt
 * ILIKE '%text%'} (case-insensitive, in order), which the trigram index {@code
 * image_prompt_trgm_idx} answers once the text holds a run of 3 or more letters; text with CJK
 * characters adds {@code cjk_grams(prompt) @> cjk_grams(text)}, answered by {@code
 * image_prompt_cjk_idx} from one character up (Chinese words are often two characters, shorter than
 * a trigram, and pg_trgm ignores them in the C locale). Shorter Latin text still works, scanning
 * what the other conditions leave.
 */
final class PromptSearch {
  private PromptSearch() {}

  static void addTo(Where w, String column, String text) {
    w.add(column + " ILIKE ? ESCAPE '\\'", "%" + escapeLike(text) + "%");
    if (hasCjk(text)) {
      w.add("cjk_grams(" + column + ") @> cjk_grams(?)", text);
    }
  }

  /** LIKE's wildcards and escape taken literally. */
  static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** The character ranges of {@code cjk_grams} (migration V44). */
  static boolean hasCjk(String s) {
    return s.codePoints().anyMatch(PromptSearch::isCjk);
  }

  static boolean isCjk(int cp) {
    return (cp >= 0x3040 && cp <= 0x30FF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0xAC00 && cp <= 0xD7AF);
  }
}
