package dev.turbofarm.model.tiny;

import java.util.List;
import java.util.stream.Stream;

/**
 * An attribute value named by one or more prompt words, in English and in Chinese. Each word is its
 * own token with its own embedding; the two languages share nothing but the images their captions
 * describe.
 */
interface Vocabulary {

  /** Normalised English tokens that name this value; the first is the caption word. */
  List<String> english();

  /** Chinese words that name this value; the first is the caption word. */
  List<String> chinese();

  /** Every token that names this value, English first. */
  default List<String> words() {
    return Stream.concat(english().stream(), chinese().stream()).toList();
  }
}
