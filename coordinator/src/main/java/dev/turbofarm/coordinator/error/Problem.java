package dev.turbofarm.coordinator.error;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turbofarm.common.job.FieldError;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document, the body of every error answer.
 *
 * @param type a URI naming the kind of problem
 * @param title short, the same for every problem of this type
 * @param status the HTTP status
 * @param detail what went wrong this time, and what to do
 * @param errors for bad input: each offending field and its problem
 * @param extensions further members of this problem type, written beside the others (a rejected
 *     catalogue adds {@code accepted}, {@code rejectedCount} and {@code rejected})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    List<FieldError> errors,
    @JsonAnyGetter Map<String, Object> extensions) {
  public static final String MEDIA_TYPE = "application/problem+json";

  public Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    this(type, title, status, detail, errors, Map.of());
  }
}
