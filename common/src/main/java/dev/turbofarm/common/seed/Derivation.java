package dev.turbofarm.common.seed;

import java.util.Locale;

/**
 * How an image was derived from its parent image. The lower-case names are the values of the {@code
 * derivation} columns and of the API.
 */
public enum Derivation {
  /** The parent's seed plus a pool offset, same prompt and size unless overridden. */
  VARIANT,
  /** The parent's seed, prompt and size, more steps. */
  REFINE,
  /** The parent's settings exactly, rendered again. */
  RERUN;

  /** The column's and the API's value: {@code variant}, {@code refine}, {@code rerun}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The derivation of a column or API value. */
  public static Derivation of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
