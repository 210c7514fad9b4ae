package dev.turbofarm.coordinator.http;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The query parameters every newest-first list of the API shares ({@code limit}, {@code after},
 * {@code from}, {@code to}, {@code state}), read one by one with every bad one collected, so a
 * request answers one 400 naming each bad parameter.
 */
public final class ListParams {
  /** Rows per page when the client names none: a screenful. */
  public static final int DEFAULT_LIMIT = 50;

  /** Most rows per page: one page stays one short query. */
  public static final int MAX_LIMIT = 200;

  private final List<FieldError> errors = new ArrayList<>();

  /** {@code limit}: 1..{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}. */
  public int limit(String v) {
    if (v == null || v.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
      errors.add(new FieldError("limit", "is " + n + "; must be 1.." + MAX_LIMIT));
    } catch (NumberFormatException e) {
      errors.add(new FieldError("limit", "is '" + v + "'; must be a whole number"));
    }
    return DEFAULT_LIMIT;
  }

  /** {@code after}: the {@code next} token of the previous page; null for the first page. */
  public PageCursor after(String v) {
    try {
      return PageCursor.parse("after", v);
    } catch (InvalidInputProblem e) {
      errors.addAll(e.errors());
      return null;
    }
  }

  /**
   * A time bound: an ISO-8601 instant with offset ({@code 2026-11-29T10:00:00Z}) or a date ({@code
   * 2026-11-29}, UTC).
   *
   * @param endOfDay for a date: the start of the next day (an exclusive upper bound that keeps the
   *     named day), else its start
   */
  public OffsetDateTime time(String name, String v, boolean endOfDay) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String s = v.trim();
    try {
      if (s.length() == 10) {
        LocalDate d = LocalDate.parse(s);
        return (endOfDay ? d.plusDays(1) : d).atStartOfDay().atOffset(ZoneOffset.UTC);
      }
      return OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      errors.add(
          new FieldError(
              name,
              "is '" + v + "'; must be a date (2026-11-29) or an instant (2026-11-29T10:00Z)"));
      return null;
    }
  }

  /** {@code from} and {@code to} in order: a {@code to} before {@code from} is named. */
  public void order(OffsetDateTime from, OffsetDateTime to) {
    if (from != null && to != null && !to.isAfter(from)) {
      errors.add(new FieldError("to", "is not after 'from'; nothing could match"));
    }
  }

  /**
   * A comma-separated set of names, each one of {@code allowed} (case-insensitive).
   *
   * @return the upper-case names; empty for none given
   */
  public Set<String> oneOf(String name, String v, Set<String> allowed) {
    Set<String> out = new LinkedHashSet<>();
    if (v == null || v.isBlank()) {
      return out;
    }
    for (String part : v.split(",")) {
      String s = part.trim().toUpperCase(Locale.ROOT);
      if (allowed.contains(s)) {
        out.add(s);
      } else {
        errors.add(
            new FieldError(
                name, "is '" + part.trim() + "'; must be one of " + String.join(", ", allowed)));
      }
    }
    return out;
  }

  /** An id parameter; null when absent. */
  public UUID uuid(String name, String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(v.trim());
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(name, "is '" + v + "'; must be an id (a UUID)"));
      return null;
    }
  }

  /**
   * Throws one 400 naming every bad parameter read so far.
   *
   * @throws InvalidInputProblem when any was bad
   */
  public void check() {
    if (!errors.isEmpty()) {
      throw new InvalidInputProblem(errors);
    }
  }
}
