package dev.turbofarm.model.tiny;

import java.util.List;

/** An attribute value named by one or more prompt words. */
interface Vocabulary {

  /** Normalised tokens that name this value. */
  List<String> words();
}
