package dev.turbofarm.coordinator.dispatch.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.coordinator.dispatch.service.DispatchService;
import dev.turbofarm.coordinator.dispatch.service.DispatchState;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/admin/dispatch}: the queue at a glance, and pause/resume of dispatch for the whole
 * farm (maintenance, a bad model rollout). Paused, jobs are still accepted and wait QUEUED; workers
 * finish what they hold.
 */
@Path("/api/v1/admin/dispatch")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class DispatchResource {
  private final DispatchService dispatch;
  private final CallerContext callers;
  private final ObjectMapper json;

  DispatchResource(DispatchService dispatch, CallerContext callers, ObjectMapper json) {
    this.dispatch = dispatch;
    this.callers = callers;
    this.json = json;
  }

  /**
   * Dispatch state and queue depth; {@code window} is the most bulk jobs in flight now, from the
   * ready workers' batches.
   */
  public record DispatchStateView(
      boolean paused,
      OffsetDateTime pausedAt,
      String reason,
      long queued,
      long dispatched,
      int window) {
    static DispatchStateView of(DispatchState s) {
      return new DispatchStateView(
          s.paused(), s.pausedAt(), s.reason(), s.queued(), s.dispatched(), s.window());
    }
  }

  /** Longest pause reason, characters: a reason, not a report. */
  static final int MAX_REASON_CHARS = 500;

  /** Why dispatch is paused, for the next admin who looks. */
  public record PauseRequest(String reason) {}

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Dispatch state and queue depth")
  public DispatchStateView state() {
    return DispatchStateView.of(dispatch.state());
  }

  @POST
  @Path("/pause")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Pause dispatch farm-wide",
      description =
          "Jobs are still accepted and wait QUEUED; workers finish what they hold. Recorded in the"
              + " audit trail.")
  public DispatchStateView pause(String body) throws JsonProcessingException {
    // Read as JSON whatever the media type says (curl sends form or plain text by default), so a
    // body is never silently ignored: an empty one pauses with the default reason.
    PauseRequest request =
        body == null || body.isBlank() ? null : json.readValue(body, PauseRequest.class);
    String reason =
        request == null || request.reason() == null || request.reason().isBlank()
            ? "paused by an admin"
            : request.reason();
    String problem = JobRules.textProblem(reason, false);
    if (problem != null || reason.length() > MAX_REASON_CHARS) {
      throw InvalidInputProblem.of(
          "reason",
          problem != null ? problem : "is longer than " + MAX_REASON_CHARS + " characters");
    }
    return DispatchStateView.of(dispatch.pause(reason, callers.caller()));
  }

  @POST
  @Path("/resume")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Resume dispatch", description = "Recorded in the audit trail.")
  public DispatchStateView resume() {
    return DispatchStateView.of(dispatch.resume(callers.caller()));
  }
}
