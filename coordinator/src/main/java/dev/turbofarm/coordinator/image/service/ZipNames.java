package dev.turbofarm.coordinator.image.service;

import java.util.HashSet;
import java.util.Set;

/**
 * Entry names of a batch's ZIP: {@code SKU_index.png}, the SKU made safe for every file system
 * (letters, digits, {@code . _ -}; anything else becomes {@code _}; no leading dot; at most {@link
 * #MAX_SKU} characters) and made unique, since two SKUs can become the same name ({@code a/b} and
 * {@code a_b}): a later one gets {@code ~2}, {@code ~3}... before {@code .png}.
 */
final class ZipNames {
  /** Longest SKU part of a name, characters: file systems allow 255 bytes per name. */
  static final int MAX_SKU = 120;

  private final Set<String> used = new HashSet<>();

  /** The name of image {@code index} of the job with this SKU (null for a job without one). */
  String next(String sku, int index) {
    String base = safe(sku) + "_" + index;
    String name = base + ".png";
    for (int n = 2; !used.add(name); n++) {
      name = base + "~" + n + ".png";
    }
    return name;
  }

  static String safe(String sku) {
    if (sku == null || sku.isBlank()) {
      return "image";
    }
    StringBuilder b = new StringBuilder(Math.min(sku.length(), MAX_SKU));
    for (int i = 0; i < sku.length() && b.length() < MAX_SKU; i++) {
      char c = sku.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || (c == '.' && b.length() > 0);
      b.append(ok ? c : '_');
    }
    return b.toString();
  }
}
