package dev.turbofarm.model.tools.data;

import dev.turbofarm.model.tiny.Backdrop;
import dev.turbofarm.model.tiny.ObjectKind;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Captions of a scene in English, in Chinese, and mixed (attribute words of one language in a
 * sentence of the other, as in "a 红色 mug on 木桌" or "一个 blue 背包，白色背景"). Evaluation prompts use each
 * language's caption words; training captions also draw synonyms and style phrases, so that every
 * vocabulary word, in both languages, is learnt from the images it describes.
 */
final class Captions {
  /** Number of sentence templates per language. */
  static final int TEMPLATES = 5;

  /** Chance that a training caption names an attribute by a synonym instead of its caption word. */
  static final double SYNONYMS = 0.25;

  /** Chance that a training caption ends with a style phrase of the pools below. */
  static final double STYLES = 0.3;

  /**
   * Chances that a training caption leaves out its colour, object and backdrop (1.4's rates), so
   * that each word is learnt on its own and short prompts work.
   */
  static final double[] LEAVE_OUT = {0.08, 0.08, 0.15};

  private static final List<List<String>> ENGLISH_BACKDROPS =
      List.of(
          List.of("white background", "white"),
          List.of("grey background", "gray background", "gray", "grey"),
          List.of("wooden table", "wood table", "table", "wood"),
          List.of("outdoors", "outdoor", "outside", "grass"));

  /**
   * Chinese backdrop phrases, caption phrase first. Some carry characters outside the vocabulary
   * (纹, grain), which the tokenizer drops, as it would in a user's prompt.
   */
  private static final List<List<String>> CHINESE_BACKDROPS =
      List.of(
          List.of("白色背景", "白底", "白色", "白背景"),
          List.of("灰色背景", "灰底", "灰色", "灰背景"),
          List.of("木桌", "木头桌子", "木质桌面", "木制桌子", "桌子", "木纹桌面", "木纹桌"),
          List.of("户外", "室外", "外面", "草地", "草坪"));

  private static final List<String> ENGLISH_STUDIO =
      List.of(
          "product shot",
          "studio shot",
          "closeup",
          "product picture",
          "image with soft light",
          "studio photo and soft light");
  private static final List<String> ENGLISH_OUTDOOR =
      List.of("in natural light", "outdoor picture", "photo in natural light");
  private static final List<String> CHINESE_STUDIO =
      List.of("棚拍", "产品摄影", "商品图片", "柔光特写", "柔和灯光", "产品图，无包装");
  private static final List<String> CHINESE_OUTDOOR = List.of("自然光照片", "户外摄影");

  private Captions() {}

  /** The words of one caption: null where an attribute is left out; style null for the default. */
  private record Words(
      String color, String object, String backdrop, String style, String measure) {}

  /** The caption of a scene in one language, with each language's caption words. */
  static String of(Scene s, CaptionLanguage language) {
    return switch (language) {
      case ENGLISH -> english(s, s.template(), words(s, false, 0, 7, 0));
      case CHINESE -> chinese(s, s.template(), words(s, true, 0, 7, 0));
      case MIXED -> {
        // the sentence's language, and which one or two attributes are in the other language,
        // follow from the scene
        boolean chineseFrame = (s.variant() & 1) == 1;
        int foreign = 1 + (s.variant() >> 1) % 6;
        Words w = words(s, chineseFrame, foreign, 7, 0);
        yield chineseFrame ? chinese(s, s.template(), w) : english(s, s.template(), w);
      }
    };
  }

  /**
   * A training caption: the language drawn from {@code mix} (shares of English, Chinese, mixed), a
   * random template, now and then an attribute left out so that each word is learnt on its own,
   * synonyms and style phrases now and then.
   */
  static String random(Scene s, SplittableRandom r, double[] mix) {
    return random(s, r, mix, SYNONYMS, STYLES, LEAVE_OUT);
  }

  /**
   * As {@link #random(Scene, SplittableRandom, double[])} with other synonym and style rates, each
   * attribute left out with its own chance: {@code leaveOut} holds colour, object and backdrop, in
   * that order.
   */
  static String random(
      Scene s,
      SplittableRandom r,
      double[] mix,
      double synonymRate,
      double styleRate,
      double[] leaveOut) {
    int named =
        (r.nextDouble() >= leaveOut[0] ? 1 : 0)
            | (r.nextDouble() >= leaveOut[1] ? 2 : 0)
            | (r.nextDouble() >= leaveOut[2] ? 4 : 0);
    int template = r.nextInt(TEMPLATES);
    double u = r.nextDouble() * (mix[0] + mix[1] + mix[2]);
    boolean chineseFrame = u >= mix[0] && u < mix[0] + mix[1];
    int foreign = 0;
    if (u >= mix[0] + mix[1]) {
      // mixed: a sentence of either language, at least one named attribute in the other one
      // and, where two or more are named, at least one in the sentence's
      chineseFrame = r.nextBoolean();
      while (named != 0 && (foreign == 0 || (foreign == named && Integer.bitCount(named) > 1))) {
        foreign = r.nextInt(8) & named;
      }
    }
    int synonyms = 0;
    for (int bit = 1; bit <= 4; bit <<= 1) {
      synonyms |= r.nextDouble() < synonymRate ? bit : 0;
    }
    // one draw picks every synonym, the style phrase and the measure word
    int pick = r.nextInt(1 << 20);
    Words w = words(s, chineseFrame, foreign, named, synonyms == 0 ? 0 : pick, synonyms);
    if (r.nextDouble() < styleRate) {
      List<String> pool =
          s.backdrop() == Backdrop.OUTDOOR
              ? (chineseFrame ? CHINESE_OUTDOOR : ENGLISH_OUTDOOR)
              : (chineseFrame ? CHINESE_STUDIO : ENGLISH_STUDIO);
      w = new Words(w.color(), w.object(), w.backdrop(), pool.get(pick % pool.size()), w.measure());
    }
    return chineseFrame ? chinese(s, template, w) : english(s, template, w);
  }

  private static Words words(Scene s, boolean chineseFrame, int foreign, int named, int pick) {
    return words(s, chineseFrame, foreign, named, pick, 0);
  }

  /**
   * The words for a caption: attribute bit 1 colour, 2 object, 4 backdrop; {@code foreign} marks
   * those in the other language than the sentence, {@code named} those named at all, {@code
   * synonyms} those drawn by {@code pick} among all their words rather than the caption word.
   */
  private static Words words(
      Scene s, boolean chineseFrame, int foreign, int named, int pick, int synonyms) {
    boolean cZh = chineseFrame ^ (foreign & 1) != 0;
    boolean oZh = chineseFrame ^ (foreign & 2) != 0;
    boolean bZh = chineseFrame ^ (foreign & 4) != 0;
    List<String> colors = cZh ? s.color().chinese() : s.color().english();
    ObjectKind k = s.object();
    List<String> objects = oZh ? k.chinese() : k.english();
    List<String> backdrops =
        (bZh ? CHINESE_BACKDROPS : ENGLISH_BACKDROPS).get(s.backdrop().ordinal());
    String color = colors.get((synonyms & 1) == 0 ? 0 : pick % colors.size());
    int oi = (synonyms & 2) == 0 ? 0 : (pick >> 4) % objects.size();
    String object = oi == 0 ? (oZh ? k.chineseCaptionWord() : k.captionWord()) : objects.get(oi);
    String backdrop = backdrops.get((synonyms & 4) == 0 ? 0 : (pick >> 8) % backdrops.size());
    List<String> measures =
        switch (k) {
          case SNEAKER -> List.of("一双", "一只", "一个");
          case TSHIRT -> List.of("一件", "一个");
          case LAMP -> List.of("一盏", "一个");
          default -> List.of("一个", "一只");
        };
    return new Words(
        (named & 1) == 0 ? null : color,
        (named & 2) == 0 ? null : object,
        (named & 4) == 0 ? null : backdrop,
        null,
        measures.get((pick >> 12) % measures.size()));
  }

  private static boolean isChinese(String word) {
    return word != null && !word.chars().allMatch(ch -> ch < 128);
  }

  /** An English sentence (the templates of 1.3); its words may be Chinese in mixed captions. */
  private static String english(Scene s, int template, Words w) {
    boolean outdoor = s.backdrop() == Backdrop.OUTDOOR;
    String c = w.color() == null ? "" : w.color() + " ";
    String o = w.object() == null ? "product" : w.object();
    String b = w.backdrop();
    String where;
    if (b == null) {
      where = "";
    } else if (isChinese(b)) {
      where = (s.backdrop() == Backdrop.WOOD ? " on " : " ") + b;
    } else if (outdoor) {
      where = b.equals("grass") ? " on the grass" : " " + b;
    } else {
      where = " on a " + b;
    }
    String light = w.style() != null ? w.style() : outdoor ? "natural light" : "studio photo";
    String article = "aeiou".indexOf((c + o).charAt(0)) >= 0 ? "an" : "a";
    return switch (template) {
      case 0 -> article + " " + c + o + where + ", " + light;
      case 1 -> c + o + where;
      case 2 -> "product photo of " + article + " " + c + o + where;
      case 3 -> article + " " + c + o + where;
      default -> c + o + (b == null ? "" : ", " + b) + ", " + light;
    };
  }

  /** A Chinese sentence, no spaces; English words (mixed captions) get spaces around them. */
  private static String chinese(Scene s, int template, Words w) {
    boolean outdoor = s.backdrop() == Backdrop.OUTDOOR;
    String c = w.color() == null ? "" : spaced(w.color());
    String o = w.object() == null ? "产品" : spaced(w.object());
    String b = w.backdrop() == null ? null : spaced(w.backdrop());
    String light = w.style() != null ? w.style() : outdoor ? "自然光" : "影棚照片";
    String text =
        switch (template) {
          case 0 -> w.measure() + c + o + (b == null ? "" : "，" + b) + "，" + light;
          case 1 -> c + o + (b == null ? "" : "在" + b + (outdoor ? "" : "上"));
          case 2 -> (b == null ? "" : b + "的") + c + o + "产品照片";
          case 3 -> (w.color() == null ? "" : c + "的") + o + (b == null ? "" : "，" + b);
          default -> (b == null ? "" : "放在" + b + (outdoor ? "的" : "上的")) + c + o + "，" + light;
        };
    return text.replaceAll(" +", " ").replace(" ，", "，").replace("， ", "，").strip();
  }

  private static String spaced(String word) {
    return isChinese(word) ? word : " " + word + " ";
  }
}
