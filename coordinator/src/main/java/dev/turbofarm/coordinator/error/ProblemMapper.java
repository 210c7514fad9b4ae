package dev.turbofarm.coordinator.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.InvalidJobException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP answers, all {@code application/problem+json}. It maps
 * base types only: the typed problems of this package (features throw them or their subclasses),
 * the job rules' {@link InvalidJobException}, Jackson's and the framework's own. Bad input is a 4xx
 * naming the field; a retriable outage is a 503 with {@code Retry-After}; only the unexpected is a
 * 500, logged with its stack trace.
 */
public class ProblemMapper {
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
  private static final String TYPES = "https://turbofarm.dev/problems/";

  /** Every typed problem a feature throws: its status, type, title, fields and extensions. */
  @ServerExceptionMapper
  public Response problem(ApiProblem e) {
    return answer(e);
  }

  /** The job rules' verdict (common/, shared with catalogue rows): a 400 naming every field. */
  @ServerExceptionMapper
  public Response invalidJob(InvalidJobException e) {
    return answer(400, "invalid-request", "Invalid request", e.getMessage(), e.errors());
  }

  /** Malformed JSON, or a value of the wrong type: name the field when Jackson knows it. */
  // Listed one by one: Quarkus REST ships its own mappers for the more specific Jackson types.
  @ServerExceptionMapper({
    JsonProcessingException.class,
    JsonParseException.class,
    JsonMappingException.class,
    MismatchedInputException.class,
    InvalidFormatException.class,
    UnrecognizedPropertyException.class,
    ValueInstantiationException.class
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
      } else if (e instanceof ValueInstantiationException v && v.getCause() != null) {
        // A value type's own check (common's Steps: a number or a step profile's name).
        problem = v.getCause().getMessage();
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
    if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
      // The JSON reader wraps some of Jackson's failures (a value type's own check): name the
      // field.
      return badJson(json);
    }
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
    // A typed problem wrapped by the framework (a transaction's rollback, an interceptor).
    ApiProblem problem = problemIn(e);
    if (problem != null) {
      return answer(problem);
    }
    if (DatabaseFailures.isTransient(e)) {
      return answer(new DatabaseUnavailableException(e.toString(), e));
    }
    LOG.error("unexpected error answering a request", e);
    return answer(
        500,
        "internal",
        "Internal error",
        "the coordinator failed unexpectedly; its log has the details",
        null);
  }

  private static ApiProblem problemIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ApiProblem p) {
        return p;
      }
    }
    return null;
  }

  private static Response answer(ApiProblem e) {
    if (e instanceof UnavailableProblem) {
      LOG.warnf("answering 503: %s", e.getMessage());
    }
    Response.ResponseBuilder r =
        Response.status(e.status())
            .type(Problem.MEDIA_TYPE)
            .entity(
                new Problem(
                    TYPES + e.type(),
                    e.title(),
                    e.status(),
                    e.detail(),
                    e.errors(),
                    e.extensions()));
    if (e instanceof UnavailableProblem) {
      r.header("Retry-After", Integer.toString(UnavailableProblem.RETRY_AFTER_S));
    }
    return r.build();
  }

  private static Response answer(
      int status, String type, String title, String detail, List<FieldError> errors) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(new Problem(TYPES + type, title, status, detail, errors))
        .build();
  }
}
