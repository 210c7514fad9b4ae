package dev.turbofarm.coordinator.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.InvalidJobException;
import dev.turbofarm.coordinator.http.TextProblemException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
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

  /**
   * Malformed JSON, or a value of the wrong type, an unknown field, a key given twice, a number out
   * of range, text that breaks the text rule: name the field wherever Jackson or its parser knows
   * it (the body strictness is {@code http.StrictJson}).
   */
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
    String field = fieldOf(e);
    if (field != null) {
      String problem = problemOf(e);
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
        List.of(
            new FieldError("body", "is not valid JSON" + where + ": " + e.getOriginalMessage())));
  }

  /**
   * The field a JSON failure concerns: the mapping path Jackson built, else the parser's position
   * (a duplicate key, a number out of range); null when the failure is not inside any field.
   */
  static String fieldOf(JsonProcessingException e) {
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return m.getPath().stream()
          .map(r -> r.getFieldName() != null ? name(r.getFieldName()) : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."))
          .replace(".[", "[");
    }
    if (e.getProcessor() instanceof JsonParser p) {
      List<String> parts = new ArrayList<>();
      for (JsonStreamContext c = p.getParsingContext();
          c != null && !c.inRoot();
          c = c.getParent()) {
        if (c.inObject() && c.getCurrentName() != null) {
          parts.add(0, name(c.getCurrentName()));
        } else if (c.inArray() && c.getCurrentIndex() >= 0) {
          parts.add(0, "[" + c.getCurrentIndex() + "]");
        }
      }
      return parts.isEmpty() ? null : String.join(".", parts).replace(".[", "[");
    }
    return null;
  }

  /** A field's name as an error names it: a blank one in quotes, so it is still seen. */
  private static String name(String field) {
    return field.isBlank() ? "\"" + field + "\"" : field;
  }

  private static String problemOf(JsonProcessingException e) {
    if (e instanceof TextProblemException t) {
      return t.problem();
    }
    if (e instanceof UnrecognizedPropertyException u) {
      return "is not a known field; known fields: "
          + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
    }
    if (e instanceof InvalidFormatException f) {
      return "has value " + f.getValue() + ", which is not a valid " + typeName(f.getTargetType());
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      // A value type's own check (common's Steps: a number or a step profile's name).
      return v.getCause().getMessage();
    }
    if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
      return "must be " + typeName(mi.getTargetType());
    }
    return String.valueOf(e.getOriginalMessage());
  }

  /** How a Java type reads in an error about JSON. */
  private static String typeName(Class<?> t) {
    if (t == null) {
      return "a value of another type";
    }
    if (t == Integer.class
        || t == int.class
        || t == Long.class
        || t == long.class
        || t == Short.class
        || t == short.class) {
      return "a whole number (no fraction, no quotes)";
    }
    if (t == Double.class || t == double.class || t == Float.class || t == float.class) {
      return "a number (no quotes)";
    }
    if (t == String.class) {
      return "a string";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "true or false";
    }
    if (t.isEnum()) {
      return "one of " + java.util.Arrays.toString(t.getEnumConstants());
    }
    if (java.util.Collection.class.isAssignableFrom(t) || t.isArray()) {
      return "a JSON array";
    }
    return "a JSON object";
  }

  /**
   * No credential, or an unknown, revoked or expired one (Quarkus Security, proactive or at a
   * {@code @RolesAllowed} check): 401, the same answer whatever the reason.
   */
  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e) {
    return answer(
        new UnauthorizedProblem(
            "a valid credential is required: send 'Authorization: Bearer <API key or OIDC token>'"
                + " (the key may be unknown, revoked or expired)"));
  }

  /** A known caller whose role may not call this endpoint: 403. */
  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return answer(
        new ForbiddenProblem(
            "this credential's role may not call this endpoint; docs/security.md lists the role"
                + " each endpoint needs"));
  }

  /** The framework's own answers (404 route, 405, 415, 406...) keep their status. */
  @ServerExceptionMapper
  public Response web(WebApplicationException e, HttpServerRequest request) {
    // Quarkus REST wraps Jackson's parse and mapping failures (a duplicate key, a number out of
    // range, a text that breaks the text rule) in a 400: answer them as the JSON problems they are.
    for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JsonProcessingException json) {
        return badJson(json);
      }
    }
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
    String where = request == null ? "this path" : request.method() + " " + request.path();
    String detail =
        switch (status) {
          case 404 ->
              "nothing at "
                  + where
                  + ": an unknown path, or an id that is not a UUID (GET /api/v1/openapi lists the"
                  + " API)";
          case 405 ->
              where + ": the method is not allowed here (GET /api/v1/openapi lists the API)";
          case 415 ->
              where
                  + ": the body's Content-Type '"
                  + header(request, "Content-Type")
                  + "' is not one this endpoint reads (GET /api/v1/openapi lists them)";
          case 406 ->
              where
                  + ": nothing this endpoint answers matches Accept '"
                  + header(request, "Accept")
                  + "'";
          default -> where + ": " + e.getMessage();
        };
    List<FieldError> errors =
        status == 400 ? List.of(new FieldError("request", String.valueOf(e.getMessage()))) : null;
    return answer(status, "http-" + status, title, detail, errors);
  }

  private static String header(HttpServerRequest request, String name) {
    String v = request == null ? null : request.getHeader(name);
    return v == null ? "(none)" : v;
  }

  /**
   * The connection failed under a body: a client that went away while a manifest streamed, or a
   * request body cut short. Nothing to log as an error, and nothing the coordinator can fix.
   */
  @ServerExceptionMapper
  public Response transfer(IOException e) {
    LOG.debugf("a body could not be transferred: %s", e);
    return answer(
        400,
        "transfer-failed",
        "Transfer failed",
        "the request or response body could not be transferred (the connection failed); send the"
            + " request again",
        null);
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
    if (DatabaseFailures.isBadData(e)) {
      LOG.warnf("refusing input the database cannot store (%s); a check is missing", e);
      return answer(
          InvalidInputProblem.of(
              "request",
              "holds a value the database cannot store; check text fields for control characters"
                  + " and numbers for their ranges"));
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
    e.headers().forEach(r::header);
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
