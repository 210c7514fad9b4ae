package dev.turbofarm.coordinator.worker.rest;

import dev.turbofarm.coordinator.worker.service.WorkerRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/v1/admin/workers}: every worker seen, newest heartbeat first. */
@Path("/api/v1/admin/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkerResource {
  private final WorkerRegistry registry;

  WorkerResource(WorkerRegistry registry) {
    this.registry = registry;
  }

  @GET
  public List<WorkerView> list() {
    return registry.all().stream().map(WorkerView::of).toList();
  }
}
