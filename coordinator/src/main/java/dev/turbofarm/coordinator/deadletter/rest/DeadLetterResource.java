package dev.turbofarm.coordinator.deadletter.rest;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.coordinator.deadletter.service.DeadLetterService;
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

/** {@code /api/v1/admin/dead-letters}: inspect failed jobs and replay them. */
@Path("/api/v1/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
  /** Most dead letters one call lists. */
  private static final int MAX_LIMIT = 1000;

  private final DeadLetterService service;

  DeadLetterResource(DeadLetterService service) {
    this.service = service;
  }

  @GET
  public List<DeadLetterView> list(@QueryParam("limit") @DefaultValue("100") int limit) {
    return service.list(Math.max(1, Math.min(MAX_LIMIT, limit))).stream()
        .map(DeadLetterView::of)
        .toList();
  }

  /** 202: the job is QUEUED again with fresh attempts. */
  @POST
  @Path("/{jobId}/replay")
  public Response replay(@PathParam("jobId") UUID jobId) {
    service.replay(jobId);
    return Response.accepted(new Replayed(jobId, JobState.QUEUED.name())).build();
  }

  /** The replay's answer. */
  public record Replayed(UUID jobId, String state) {}
}
