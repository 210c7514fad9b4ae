package dev.turbofarm.model.tiny;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptTokenizerTest {

  @Test
  void unknownWordsAreIgnored() {
    assertThat(PromptTokenizer.encode("a red zorblax mug, très joli"))
        .containsExactly(PromptTokenizer.encode("a red mug"));
    assertThat(PromptTokenizer.encode("今天天气很好")).isEmpty();
    assertThat(PromptTokenizer.encode("")).isEmpty();
    assertThat(PromptTokenizer.encode(null)).isEmpty();
  }

  @Test
  void caseAndPunctuationDoNotMatterAndTShirtIsOneWord() {
    assertThat(PromptTokenizer.encode("A RED T-Shirt!"))
        .containsExactly(PromptTokenizer.encode("a red tshirt"));
    assertThat(PromptTokenizer.encode("t-shirt")).hasSize(1);
  }

  @Test
  void chineseIsSegmentedByLongestMatch() {
    assertThat(PromptTokenizer.normalise("一个红色马克杯，白色背景"))
        .containsExactly("一个", "红色", "马克杯", "白色", "背景");
    assertThat(PromptTokenizer.normalise("放在木桌上的蓝色运动鞋"))
        .containsExactly("放在", "木桌", "上", "的", "蓝色", "运动鞋");
    // the longest entry wins: 紫罗兰色 over 紫, 粉红色 over 粉红 and 粉, 灯光 (lighting) over 灯 (lamp)
    assertThat(PromptTokenizer.normalise("紫罗兰色粉红色灯光")).containsExactly("紫罗兰色", "粉红色", "灯光");
    // full-width letters and T恤 in any case
    assertThat(PromptTokenizer.normalise("ＲＥＤ　Ｔ恤")).containsExactly("red", "t恤");
  }

  @Test
  void unknownChineseCharactersAreDropped() {
    // 漂亮 (pretty) and 纹 (grain) are not in the vocabulary: each character is dropped
    assertThat(PromptTokenizer.normalise("一个漂亮的红色马克杯"))
        .containsExactly("一个", "漂", "亮", "的", "红色", "马克杯");
    assertThat(PromptTokenizer.encode("一个漂亮的红色马克杯"))
        .containsExactly(PromptTokenizer.encode("一个的红色马克杯"));
    assertThat(PromptTokenizer.encode("木纹桌面"))
        .containsExactly(PromptTokenizer.id("木"), PromptTokenizer.id("桌面"));
    assertThat(PromptTokenizer.encode("漂亮")).isEmpty();
  }

  @Test
  void mixedPromptsSegmentBothLanguages() {
    assertThat(PromptTokenizer.normalise("红色 mug on 木桌")).containsExactly("红色", "mug", "on", "木桌");
    assertThat(PromptTokenizer.normalise("a 蓝色 背包 白色背景"))
        .containsExactly("a", "蓝色", "背包", "白色", "背景");
    // no spaces between the languages
    assertThat(PromptTokenizer.normalise("红色mug木桌")).containsExactly("红色", "mug", "木桌");
    assertThat(PromptAttributes.parse("a 蓝色 背包 白色背景"))
        .isEqualTo(new PromptAttributes(ObjectKind.HANDBAG, ColorName.BLUE, Backdrop.WHITE));
  }

  @Test
  void chineseWordsHaveTheirOwnIds() {
    Set<Integer> english = new HashSet<>();
    Set<Integer> chinese = new HashSet<>();
    List<Vocabulary> attributes = new ArrayList<>();
    attributes.addAll(List.of(ObjectKind.values()));
    attributes.addAll(List.of(ColorName.values()));
    attributes.addAll(List.of(Backdrop.values()));
    for (Vocabulary v : attributes) {
      for (String w : v.english()) {
        english.add(PromptTokenizer.id(w));
      }
      for (String w : v.chinese()) {
        int id = PromptTokenizer.id(w);
        assertThat(id).as(w).isPositive();
        assertThat(PromptTokenizer.encode(w)).as(w).containsExactly(id);
        chinese.add(id);
      }
    }
    assertThat(chinese).doesNotContainAnyElementsOf(english);
    assertThat(PromptTokenizer.encode("红色")).isNotEqualTo(PromptTokenizer.encode("red"));
    assertThat(PromptTokenizer.encode("红色马克杯"))
        .containsExactly(PromptTokenizer.id("红色"), PromptTokenizer.id("马克杯"))
        .doesNotContain(PromptTokenizer.id("red"), PromptTokenizer.id("mug"));
    assertThat(PromptTokenizer.vocabularySize()).isEqualTo(PromptTokenizer.words().size() + 1);
  }

  @Test
  void everyAttributeWordIsKnown() {
    for (ObjectKind k : ObjectKind.values()) {
      assertThat(PromptTokenizer.encode(k.captionWord())).hasSize(1);
      assertThat(PromptTokenizer.encode(k.chineseCaptionWord())).hasSize(1);
    }
    for (ColorName c : ColorName.values()) {
      assertThat(PromptTokenizer.encode(c.captionWord())).hasSize(1);
    }
    assertThat(PromptTokenizer.encodePadded("red mug", 5))
        .containsExactly(
            PromptTokenizer.encode("red")[0], PromptTokenizer.encode("mug")[0], 0, 0, 0);
  }

  @Test
  void promptAttributesReadObjectColourAndBackgroundInEitherLanguage() {
    PromptAttributes blueSneakerOutdoors =
        new PromptAttributes(ObjectKind.SNEAKER, ColorName.BLUE, Backdrop.OUTDOOR);
    assertThat(PromptAttributes.parse("Product photo of a blue sneaker outdoors"))
        .isEqualTo(blueSneakerOutdoors);
    assertThat(PromptAttributes.parse("户外的蓝色运动鞋")).isEqualTo(blueSneakerOutdoors);
    assertThat(PromptAttributes.parse("一个杯子"))
        .isEqualTo(new PromptAttributes(ObjectKind.MUG, null, null));
    assertThat(PromptAttributes.parse("今天天气很好").isEmpty()).isTrue();
  }
}
