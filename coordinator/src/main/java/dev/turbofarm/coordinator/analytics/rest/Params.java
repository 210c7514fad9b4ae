package dev.turbofarm.coordinator.analytics.rest;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query parameters read one by one, every bad one collected, so a request answers one 400 naming
 * each bad parameter.
 */
final class Params {
  private static final Pattern SINCE = Pattern.compile("(\\d{1,6})([dhm])");

  private final List<FieldError> errors = new ArrayList<>();

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  Integer integer(String name, String v, int min, int max) {
    v = blankToNull(v);
    if (v == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        errors.add(new FieldError(name, "is " + n + "; must be " + min + ".." + max));
      }
      return n;
    } catch (NumberFormatException e) {
      errors.add(new FieldError(name, "is '" + v + "'; must be a whole number"));
      return null;
    }
  }

  Long whole(String name, String v, long min, long max) {
    v = blankToNull(v);
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        errors.add(new FieldError(name, "is " + n + "; must be " + min + ".." + max));
      }
      return n;
    } catch (NumberFormatException e) {
      errors.add(new FieldError(name, "is '" + v + "'; must be a whole number"));
      return null;
    }
  }

  Double decimal(String name, String v, double min, double max) {
    v = blankToNull(v);
    if (v == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(v);
      if (Double.isNaN(d) || d < min || d > max) {
        errors.add(new FieldError(name, "is " + v + "; must be " + min + ".." + max));
      }
      return d;
    } catch (NumberFormatException e) {
      errors.add(new FieldError(name, "is '" + v + "'; must be a number"));
      return null;
    }
  }

  UUID uuid(String name, String v) {
    v = blankToNull(v);
    if (v == null) {
      return null;
    }
    try {
      return UUID.fromString(v);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(name, "is '" + v + "'; must be an id (a UUID)"));
      return null;
    }
  }

  String oneOf(String name, String v, Set<String> allowed) {
    v = blankToNull(v);
    if (v != null && !allowed.contains(v)) {
      errors.add(
          new FieldError(
              name,
              "is '"
                  + v
                  + "'; must be one of "
                  + String.join(", ", allowed.stream().sorted().toList())));
    }
    return v;
  }

  /** Text of at most {@code max} characters. */
  String text(String name, String v, int max) {
    v = blankToNull(v);
    if (v != null && v.length() > max) {
      errors.add(new FieldError(name, "is " + v.length() + " characters; at most " + max));
    }
    return v;
  }

  /** An ISO-8601 instant ({@code 2026-11-29T10:00:00Z}) or a date (its UTC midnight). */
  Instant instant(String name, String v) {
    v = blankToNull(v);
    if (v == null) {
      return null;
    }
    try {
      return v.length() == 10
          ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(v);
    } catch (DateTimeParseException e) {
      errors.add(
          new FieldError(
              name,
              "is '" + v + "'; must be a date (2026-11-29) or an instant (2026-11-29T10:00:00Z)"));
      return null;
    }
  }

  /** A date ({@code 2026-11-29}), UTC. */
  LocalDate date(String name, String v) {
    v = blankToNull(v);
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(name, "is '" + v + "'; must be a date such as 2026-11-29"));
      return null;
    }
  }

  /** A span back from now: {@code 7d}, {@code 24h}, {@code 30m}. */
  Duration since(String name, String v) {
    v = blankToNull(v);
    if (v == null) {
      return null;
    }
    Matcher m = SINCE.matcher(v);
    if (!m.matches()) {
      errors.add(new FieldError(name, "is '" + v + "'; must be a span such as 7d, 24h or 30m"));
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofMinutes(n);
    };
  }

  void add(String field, String problem) {
    errors.add(new FieldError(field, problem));
  }

  /** Throws one 400 naming every bad parameter, if any. */
  void check() {
    if (!errors.isEmpty()) {
      throw new InvalidInputProblem(errors);
    }
  }
}
