package dev.turbofarm.coordinator.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A JSON text value that breaks the text rule; Jackson adds the field's path as it unwinds, and the
 * problem mapper answers 400 naming it.
 */
public final class TextProblemException extends JsonMappingException {
  private final String problem;

  TextProblemException(JsonParser p, String problem) {
    super(p, problem);
    this.problem = problem;
  }

  /** What is wrong with the text, without the field. */
  public String problem() {
    return problem;
  }
}
