package dev.turbofarm.coordinator.model.rest;

import dev.turbofarm.coordinator.model.service.ModelRouting;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;

/** {@code GET /api/v1/models}: the models a job may name, the default first. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
  private final ModelRouting models;

  ModelResource(ModelRouting models) {
    this.models = models;
  }

  @GET
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  public List<ModelView> list() {
    return models.known().stream()
        .map(m -> new ModelView(m.model(), m.liveWorkers(), m.lastSeen(), m.isDefault()))
        .toList();
  }

  /**
   * A model as the API shows it.
   *
   * @param liveWorkers workers serving it now
   * @param lastSeen the newest heartbeat of one of its workers (their clock), null if none
   * @param isDefault whether a job without a model gets it
   */
  public record ModelView(
      String model, int liveWorkers, OffsetDateTime lastSeen, boolean isDefault) {}
}
