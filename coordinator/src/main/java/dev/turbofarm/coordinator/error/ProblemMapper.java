package dev.turbofarm.coordinator.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.InvalidJobException;
import dev.turbofarm.coordinator.admin.DeadLetterService;
import dev.turbofarm.coordinator.batch.service.BatchNotFoundException;
import dev.turbofarm.coordinator.batch.service.BatchRejectedException;
import dev.turbofarm.coordinator.batch.service.CatalogueTooLargeException;
import dev.turbofarm.coordinator.job.service.JobNotFoundException;
import dev.turbofarm.coordinator.team.QuotaExceededException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP answers, all {@code application/problem+json}. Bad
 * input is a 4xx naming the field; only the unexpected is a 5xx, logged with its stack trace.
 */
public class ProblemMapper {
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
  private static final String TYPES = "https://turbofarm.dev/problems/";

  @ServerExceptionMapper
  public Response invalidJob(InvalidJobException e) {
    return answer(400, "invalid-request", "Invalid request", e.getMessage(), e.errors());
  }

  @ServerExceptionMapper
  public Response notFound(JobNotFoundException e) {
    return answer(404, "not-found", "Not found", e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response conflict(DeadLetterService.NotDeadLetterException e) {
    return answer(409, "conflict", "Conflict", e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response batchNotFound(BatchNotFoundException e) {
    return answer(404, "not-found", "Not found", e.getMessage(), null);
  }

  /** A catalogue of which nothing was accepted: every bad row with its line, field and problem. */
  @ServerExceptionMapper
  public Response batchRejected(BatchRejectedException e) {
    List<FieldError> fields =
        e.rejected().stream()
            .map(r -> new FieldError("line " + r.line() + ": " + r.field(), r.problem()))
            .toList();
    return Response.status(400)
        .type(Problem.MEDIA_TYPE)
        .entity(
            new Problem(
                TYPES + "invalid-rows",
                "Invalid catalogue rows",
                400,
                e.getMessage(),
                fields,
                0,
                e.rejectedCount(),
                e.rejected()))
        .build();
  }

  @ServerExceptionMapper
  public Response tooLarge(CatalogueTooLargeException e) {
    return answer(413, "too-large", "Catalogue too large", e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response quota(QuotaExceededException e) {
    return answer(429, "quota-exceeded", "Queue quota exceeded", e.getMessage(), null);
  }

  /** Malformed JSON, or a value of the wrong type: name the field when Jackson knows it. */
  // Listed one by one: Quarkus REST ships its own mappers for the more specific Jackson types.
  @ServerExceptionMapper({
    JsonProcessingException.class,
    JsonParseException.class,
    JsonMappingException.class,
    MismatchedInputException.class,
    InvalidFormatException.class,
    UnrecognizedPropertyException.class
  })
  public Response badJson(JsonProcessingException e) {
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String field =
          m.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      String problem;
      if (e instanceof UnrecognizedPropertyException) {
        problem = "is not a known field";
      } else if (e instanceof InvalidFormatException f) {
        problem =
            "has value "
                + f.getValue()
                + ", which is not a valid "
                + f.getTargetType().getSimpleName().toLowerCase();
      } else if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
        problem = "must be a " + mi.getTargetType().getSimpleName().toLowerCase();
      } else {
        problem = "has an invalid value";
      }
      return answer(
          400,
          "invalid-request",
          "Invalid request",
          field + ": " + problem,
          List.of(new FieldError(field, problem)));
    }
    String where =
        e.getLocation() == null
            ? ""
            : " at line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr();
    return answer(
        400,
        "malformed-json",
        "Malformed JSON",
        "the request body is not valid JSON" + where + ": " + e.getOriginalMessage(),
        List.of(new FieldError("body", "is not valid JSON" + where)));
  }

  /** The framework's own answers (404 route, 405, 415, 406...) keep their status. */
  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      LOG.error("request failed", e);
    }
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "Error"
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    return answer(status, "http-" + status, title, e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    if (databaseUnavailable(e)) {
      LOG.warnf("answering 503: PostgreSQL unavailable (%s)", e.getMessage());
      return Response.fromResponse(
              answer(
                  503,
                  "unavailable",
                  "Service unavailable",
                  "the job database is unreachable; nothing was accepted, retry shortly",
                  null))
          .header("Retry-After", "5")
          .build();
    }
    LOG.error("unexpected error answering a request", e);
    return answer(
        500,
        "internal",
        "Internal error",
        "the coordinator failed unexpectedly; its log has the details",
        null);
  }

  /** Connection-class SQL states (08xxx), or the pool giving up waiting for a connection. */
  private static boolean databaseUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.net.ConnectException
          || (t instanceof java.sql.SQLException sql
              && sql.getSQLState() != null
              && sql.getSQLState().startsWith("08"))
          || (t instanceof java.sql.SQLException
              && String.valueOf(t.getMessage()).contains("acquisition timeout"))) {
        return true;
      }
    }
    return false;
  }

  private static Response answer(
      int status, String type, String title, String detail, List<FieldError> errors) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(new Problem(TYPES + type, title, status, detail, errors))
        .build();
  }
}
