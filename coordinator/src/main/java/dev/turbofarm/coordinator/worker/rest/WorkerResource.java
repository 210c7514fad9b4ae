package dev.turbofarm.coordinator.worker.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.messaging.WorkerCommand;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.error.NotFoundProblem;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import dev.turbofarm.coordinator.worker.service.WorkerControl;
import dev.turbofarm.coordinator.worker.service.WorkerRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/admin/workers}: every worker seen, newest heartbeat first; and the admin
 * commands to one worker (docs/adr/0017-worker-control.md), each recorded in the audit trail.
 */
@Path("/api/v1/admin/workers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class WorkerResource {
  /** Longest reason an admin may give, characters. */
  static final int MAX_REASON_CHARS = 500;

  private final WorkerRegistry registry;
  private final WorkerControl control;
  private final CallerContext callers;
  private final ObjectMapper json;

  WorkerResource(
      WorkerRegistry registry, WorkerControl control, CallerContext callers, ObjectMapper json) {
    this.registry = registry;
    this.control = control;
    this.callers = callers;
    this.json = json;
  }

  /** Why an admin gives a command, optional. */
  public record CommandRequest(String reason) {}

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Every worker seen, newest heartbeat first")
  public List<WorkerView> list() {
    return registry.all().stream().map(WorkerView::of).toList();
  }

  @POST
  @Path("/{id}/cordon")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Cordon a worker",
      description = "It takes no new jobs; the batch in progress finishes. Undo with uncordon.")
  public WorkerView cordon(@PathParam("id") String id, String body) throws JsonProcessingException {
    return command(id, WorkerCommand.Command.CORDON, body, "cordoned by an admin");
  }

  @POST
  @Path("/{id}/drain")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Drain a worker",
      description =
          "It finishes what it holds, takes nothing more and idles (to be stopped or uncordoned).")
  public WorkerView drain(@PathParam("id") String id, String body) throws JsonProcessingException {
    return command(id, WorkerCommand.Command.DRAIN, body, "drained by an admin");
  }

  @POST
  @Path("/{id}/uncordon")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Let a cordoned or drained worker take jobs again")
  public WorkerView uncordon(@PathParam("id") String id, String body)
      throws JsonProcessingException {
    return command(id, WorkerCommand.Command.RUN, body, "uncordoned by an admin");
  }

  @POST
  @Path("/{id}/release")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Release a quarantined worker",
      description = "It takes jobs again and its failure count starts afresh.")
  public WorkerView release(@PathParam("id") String id, String body)
      throws JsonProcessingException {
    return command(id, WorkerCommand.Command.RUN, body, "released by an admin");
  }

  private WorkerView command(String id, WorkerCommand.Command c, String body, String fallback)
      throws JsonProcessingException {
    // Read as JSON whatever the media type says, as dispatch/pause does; an empty body is fine.
    CommandRequest request =
        body == null || body.isBlank() ? null : json.readValue(body, CommandRequest.class);
    String reason =
        request == null || request.reason() == null || request.reason().isBlank()
            ? fallback
            : request.reason();
    String problem = JobRules.textProblem(reason, false);
    if (problem != null || reason.length() > MAX_REASON_CHARS) {
      throw InvalidInputProblem.of(
          "reason",
          problem != null ? problem : "is longer than " + MAX_REASON_CHARS + " characters");
    }
    control.command(id, c, reason, callers.caller());
    return registry.all().stream()
        .filter(w -> w.id().equals(id))
        .findFirst()
        .map(WorkerView::of)
        .orElseThrow(() -> new NotFoundProblem("worker '" + id + "' is gone"));
  }
}
