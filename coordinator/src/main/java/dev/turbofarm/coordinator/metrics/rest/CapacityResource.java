package dev.turbofarm.coordinator.metrics.rest;

import dev.turbofarm.coordinator.metrics.service.CapacityReport;
import dev.turbofarm.coordinator.metrics.service.FarmMetrics;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/admin/capacity}: the workers the backlog needs to drain within the target
 * time, and how that was reached (the same figure as the gauge {@code turbofarm_desired_workers};
 * formula: docs/operations.md).
 */
@Path("/api/v1/admin/capacity")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class CapacityResource {
  private final FarmMetrics metrics;

  CapacityResource(FarmMetrics metrics) {
    this.metrics = metrics;
  }

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Workers needed to drain the backlog within the target time")
  public CapacityReport capacity() {
    return metrics.capacity();
  }
}
