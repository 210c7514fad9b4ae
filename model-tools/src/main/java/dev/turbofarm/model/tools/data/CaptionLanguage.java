package dev.turbofarm.model.tools.data;

/** The language of a caption or an evaluation prompt. */
public enum CaptionLanguage {
  /** English words in an English sentence, as up to version 1.3. */
  ENGLISH,
  /** Chinese words in a Chinese sentence, no spaces. */
  CHINESE,
  /** Some attribute words in the other language than the sentence around them. */
  MIXED
}
