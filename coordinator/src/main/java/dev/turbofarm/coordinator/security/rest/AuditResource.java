package dev.turbofarm.coordinator.security.rest;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/admin/audit}: who did what, newest first, keyset-paged. Admin only. */
@Path("/api/v1/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class AuditResource {
  /** Events per page when the caller names no limit. */
  static final int DEFAULT_LIMIT = 100;

  /** Most events one page holds. */
  static final int MAX_LIMIT = 1000;

  private final Audit audit;

  AuditResource(Audit audit) {
    this.audit = audit;
  }

  /**
   * A page of events.
   *
   * @param next pass it as {@code before} for the following page; null on the last page
   */
  public record AuditPage(List<Audit.Event> events, Long next) {}

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Audit trail",
      description =
          "Reviews, cancellations and admin actions, newest first. Page with before=<next of the"
              + " previous page>; filter by actor (key id or oidc:<subject>), action, target and a"
              + " time range (ISO-8601 since/until).")
  public AuditPage list(
      @QueryParam("before") String before,
      @QueryParam("actor") String actor,
      @QueryParam("action") String action,
      @QueryParam("target") String target,
      @QueryParam("since") String since,
      @QueryParam("until") String until,
      @QueryParam("limit") String limit) {
    List<FieldError> errors = new ArrayList<>();
    Long beforeId = number(before, "before", errors);
    Long n = number(limit, "limit", errors);
    if (n != null && (n < 1 || n > MAX_LIMIT)) {
      errors.add(new FieldError("limit", "is " + n + "; must be 1.." + MAX_LIMIT));
    }
    OffsetDateTime from = time(since, "since", errors);
    OffsetDateTime to = time(until, "until", errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputProblem(errors);
    }
    int size = n == null ? DEFAULT_LIMIT : n.intValue();
    List<Audit.Event> events =
        audit.list(
            new Audit.Query(beforeId, blank(actor), blank(action), blank(target), from, to, size));
    Long next = events.size() == size ? events.get(events.size() - 1).id() : null;
    return new AuditPage(events, next);
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static Long number(String s, String field, List<FieldError> errors) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Long.valueOf(s.strip());
    } catch (NumberFormatException e) {
      errors.add(new FieldError(field, "is '" + s + "'; must be a whole number"));
      return null;
    }
  }

  private static OffsetDateTime time(String s, String field, List<FieldError> errors) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s.strip());
    } catch (DateTimeParseException e) {
      errors.add(
          new FieldError(field, "is '" + s + "'; must be ISO-8601, e.g. 2026-11-29T12:00:00Z"));
      return null;
    }
  }
}
