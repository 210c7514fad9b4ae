package dev.turbofarm.coordinator.worker.rest;

import dev.turbofarm.coordinator.security.service.Roles;
import dev.turbofarm.coordinator.worker.service.WorkerRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/admin/workers}: every worker seen, newest heartbeat first. */
@Path("/api/v1/admin/workers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class WorkerResource {
  private final WorkerRegistry registry;

  WorkerResource(WorkerRegistry registry) {
    this.registry = registry;
  }

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Every worker seen, newest heartbeat first")
  public List<WorkerView> list() {
    return registry.all().stream().map(WorkerView::of).toList();
  }
}
