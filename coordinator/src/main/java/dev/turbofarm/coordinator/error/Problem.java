package dev.turbofarm.coordinator.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.coordinator.batch.service.RowError;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error answer.
 *
 * @param type a URI naming the kind of problem
 * @param title short, the same for every problem of this type
 * @param status the HTTP status
 * @param detail what went wrong this time, and what to do
 * @param errors for bad input: each offending field and its problem
 * @param accepted for a rejected catalogue: jobs accepted (0)
 * @param rejectedCount for a rejected catalogue: bad rows, all of them
 * @param rejected for a rejected catalogue: the bad rows with line, field and problem
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    List<FieldError> errors,
    Integer accepted,
    Integer rejectedCount,
    List<RowError> rejected) {
  public static final String MEDIA_TYPE = "application/problem+json";

  public Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    this(type, title, status, detail, errors, null, null, null);
  }
}
