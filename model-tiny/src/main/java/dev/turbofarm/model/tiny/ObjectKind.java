package dev.turbofarm.model.tiny;

import java.util.List;

/** The products the bundled model knows; the first word is the caption word. */
public enum ObjectKind implements Vocabulary {
  MUG("mug", "cup", "mugs"),
  SNEAKER("sneaker", "shoe", "sneakers", "trainer"),
  TSHIRT("tshirt", "shirt", "tee"),
  BOTTLE("bottle", "bottles"),
  HANDBAG("handbag", "bag", "purse"),
  LAMP("lamp", "lamps");

  private final List<String> words;

  ObjectKind(String... words) {
    this.words = List.of(words);
  }

  /** The word used in captions ({@code tshirt} is written {@code t-shirt}). */
  public String captionWord() {
    return this == TSHIRT ? "t-shirt" : words.get(0);
  }

  /** Normalised tokens that name this kind. */
  @Override
  public List<String> words() {
    return words;
  }
}
