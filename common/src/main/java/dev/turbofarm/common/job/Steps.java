package dev.turbofarm.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * A job's steps as the caller gave them: a number ({@code "steps": 30}) or a step profile's name
 * ({@code "steps": "final"}). JSON takes either; a catalogue cell too ({@link #parse}).
 *
 * @param count the explicit step count; null when a profile is named
 * @param profile the step profile's name; null when a count is given
 */
public record Steps(Integer count, String profile) {
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");

  public Steps {
    if ((count == null) == (profile == null)) {
      throw new IllegalArgumentException("steps are a count or a step profile's name, not both");
    }
  }

  public static Steps count(int n) {
    return new Steps(n, null);
  }

  public static Steps profile(String name) {
    return new Steps(null, name);
  }

  /** Null for null: absent steps stay absent. */
  public static Steps ofNullable(Integer n) {
    return n == null ? null : count(n);
  }

  /**
   * A text value: digits are a count, anything else a step profile's name; null for blank.
   *
   * @throws IllegalArgumentException for a number out of int range
   */
  public static Steps parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    if (INTEGER.matcher(t).matches()) {
      try {
        return count(Integer.parseInt(t));
      } catch (NumberFormatException e) {
        // A long run of digits: a count far out of range, reported as such by the rules.
        return count(Integer.MAX_VALUE);
      }
    }
    return profile(t);
  }

  /**
   * From JSON: a whole number or a string.
   *
   * @throws IllegalArgumentException for anything else (Jackson names the field in its answer)
   */
  @JsonCreator
  public static Steps fromJson(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return count(node.intValue());
    }
    if (node.isTextual()) {
      return parse(node.textValue());
    }
    throw new IllegalArgumentException(
        "must be a whole number of steps or a step profile's name (explore, daily, final)");
  }

  /** To JSON: the number, or the name. */
  @JsonValue
  public Object json() {
    return count != null ? count : profile;
  }

  @Override
  public String toString() {
    return String.valueOf(json());
  }
}
