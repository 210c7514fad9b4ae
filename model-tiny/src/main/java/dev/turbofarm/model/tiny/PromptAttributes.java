package dev.turbofarm.model.tiny;

/**
 * The attributes a prompt asks for, each null when the prompt does not name one. The scorer
 * compares them with what it reads from the image.
 */
public record PromptAttributes(ObjectKind object, ColorName color, Backdrop backdrop) {

  /** Reads attributes from the prompt's known words; the first mention of each kind wins. */
  public static PromptAttributes parse(String prompt) {
    ObjectKind object = null;
    ColorName color = null;
    Backdrop backdrop = null;
    for (String token : PromptTokenizer.normalise(prompt)) {
      if (object == null) {
        object = find(ObjectKind.values(), token);
      }
      if (color == null) {
        color = find(ColorName.values(), token);
      }
      if (backdrop == null) {
        backdrop = find(Backdrop.values(), token);
      }
    }
    return new PromptAttributes(object, color, backdrop);
  }

  /** True when the prompt names nothing the model knows. */
  public boolean isEmpty() {
    return object == null && color == null && backdrop == null;
  }

  private static <E extends Vocabulary> E find(E[] values, String token) {
    for (E e : values) {
      if (e.words().contains(token)) {
        return e;
      }
    }
    return null;
  }
}
