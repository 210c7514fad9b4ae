package dev.turbofarm.model.tiny;

import java.util.List;

/** Backgrounds of the synthetic product photos. */
public enum Backdrop implements Vocabulary {
  WHITE("white background", "white"),
  GREY("grey background", "grey", "gray"),
  WOOD("wooden table", "wood", "wooden", "table"),
  OUTDOOR("outdoors", "outdoor", "outdoors", "outside", "grass");

  private final String caption;
  private final List<String> words;

  Backdrop(String caption, String... words) {
    this.caption = caption;
    this.words = List.of(words);
  }

  /** Phrase used in captions. */
  public String caption() {
    return caption;
  }

  @Override
  public List<String> words() {
    return words;
  }
}
