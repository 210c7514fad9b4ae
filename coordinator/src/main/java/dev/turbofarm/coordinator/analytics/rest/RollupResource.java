package dev.turbofarm.coordinator.analytics.rest;

import dev.turbofarm.coordinator.analytics.service.DailyRollup;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code POST /api/v1/admin/analytics/rollup}: rolls the due closed days up now instead of at the
 * next scheduled pass (after a bulk import of history, say); {@code ?maxDays=} bounds the work.
 */
@Path("/api/v1/admin/analytics/rollup")
@Produces(MediaType.APPLICATION_JSON)
public class RollupResource {
  private final DailyRollup rollup;
  private final FarmConfig.Analytics config;

  RollupResource(DailyRollup rollup, FarmConfig config) {
    this.rollup = rollup;
    this.config = config.analytics();
  }

  /** The days rolled up by this call, oldest first. */
  public record RollupView(List<LocalDate> days) {}

  @POST
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed(Roles.ADMIN)
  public RollupView roll(@QueryParam("maxDays") String maxDays) {
    Params p = new Params();
    Integer n = p.integer("maxDays", maxDays, 1, config.maxDays());
    p.check();
    return new RollupView(rollup.rollDue(n == null ? config.maxDays() : n));
  }
}
