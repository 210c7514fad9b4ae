package dev.turbofarm.model.tiny;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptTokenizerTest {

  @Test
  void unknownWordsAreIgnored() {
    assertThat(PromptTokenizer.encode("a red zorblax mug, très joli, 红色"))
        .containsExactly(PromptTokenizer.encode("a red mug"));
    assertThat(PromptTokenizer.encode("一个红色的杯子")).isEmpty();
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
  void everyAttributeWordIsKnown() {
    for (ObjectKind k : ObjectKind.values()) {
      assertThat(PromptTokenizer.encode(k.captionWord())).hasSize(1);
    }
    for (ColorName c : ColorName.values()) {
      assertThat(PromptTokenizer.encode(c.captionWord())).hasSize(1);
    }
    assertThat(PromptTokenizer.encodePadded("red mug", 5))
        .containsExactly(
            PromptTokenizer.encode("red")[0], PromptTokenizer.encode("mug")[0], 0, 0, 0);
  }

  @Test
  void promptAttributesReadObjectColourAndBackground() {
    assertThat(PromptAttributes.parse("Product photo of a blue sneaker outdoors"))
        .isEqualTo(new PromptAttributes(ObjectKind.SNEAKER, ColorName.BLUE, Backdrop.OUTDOOR));
    assertThat(PromptAttributes.parse("一个杯子").isEmpty()).isTrue();
  }
}
