package dev.turbofarm.coordinator.deadletter.rest;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.coordinator.deadletter.service.DeadLetterService;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/admin/dead-letters}: inspect failed jobs and replay them. */
@Path("/api/v1/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class DeadLetterResource {
  /** Most dead letters one call lists. */
  private static final int MAX_LIMIT = 1000;

  private final DeadLetterService service;
  private final CallerContext callers;

  DeadLetterResource(DeadLetterService service, CallerContext callers) {
    this.service = service;
    this.callers = callers;
  }

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Failed jobs with their reasons, most recent first")
  public List<DeadLetterView> list(@QueryParam("limit") @DefaultValue("100") int limit) {
    return service.list(Math.max(1, Math.min(MAX_LIMIT, limit))).stream()
        .map(DeadLetterView::of)
        .toList();
  }

  /** 202: the job is QUEUED again with fresh attempts. */
  @POST
  @Path("/{jobId}/replay")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Replay a failed job",
      description = "Back in the queue with fresh attempts. Recorded in the audit trail.")
  public Response replay(@PathParam("jobId") UUID jobId) {
    service.replay(jobId, callers.caller());
    return Response.accepted(new Replayed(jobId, JobState.QUEUED.name())).build();
  }

  /** The replay's answer. */
  public record Replayed(UUID jobId, String state) {}
}
