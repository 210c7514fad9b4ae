package dev.turbofarm.coordinator.seed.rest;

import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import dev.turbofarm.coordinator.seed.service.SeedPool;
import dev.turbofarm.coordinator.seed.service.SeedPools;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A team's seed pool: {@code GET} (the default 42, 123, 888, 2024, 9999 until set), {@code PUT}
 * {@code {"offsets": [...]}} to replace it, {@code POST .../promote} {@code {"offset": n}} to add
 * an offset that proved good.
 */
@Path("/api/v1/teams/{team}/seed-pool")
@Produces(MediaType.APPLICATION_JSON)
public class SeedPoolResource {
  private final SeedPools pools;
  private final CallerContext callers;
  private final Audit audit;

  SeedPoolResource(SeedPools pools, CallerContext callers, Audit audit) {
    this.pools = pools;
    this.callers = callers;
    this.audit = audit;
  }

  /** A new pool: offsets 0..4294967295, unique, 1..8 of them. */
  public record PoolBody(List<Long> offsets) {}

  /** An offset to add. */
  public record PromoteBody(Long offset) {}

  /**
   * A pool as the API shows it.
   *
   * @param isDefault true while the team uses the farm's default pool
   */
  public record PoolView(
      String team,
      List<Long> offsets,
      boolean isDefault,
      OffsetDateTime updatedAt,
      String updatedBy) {
    static PoolView of(SeedPool p) {
      return new PoolView(p.team(), p.offsets(), p.isDefault(), p.updatedAt(), p.updatedBy());
    }
  }

  /** Another team's pool is a 404, as an unknown team; an analyst reads its granted teams'. */
  @GET
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  public PoolView get(@PathParam("team") String team) {
    Caller caller = callers.caller();
    caller.requireReadableTeam(team);
    return PoolView.of(pools.get(team, TeamScope.readableBy(caller)));
  }

  /** Replaces the pool; a submitter changes its own team's only. Recorded in the audit trail. */
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  public PoolView set(@PathParam("team") String team, PoolBody body) {
    Caller caller = callers.caller();
    caller.requireWritableTeam(team);
    SeedPool p =
        pools.set(
            team,
            body == null ? null : body.offsets(),
            caller.name(),
            TeamScope.writableBy(caller));
    audit.record(caller, "seed-pool.set", "team:" + team, String.valueOf(p.offsets()));
    return PoolView.of(p);
  }

  /** Adds an offset; recorded in the audit trail. */
  @POST
  @Path("/promote")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  public PoolView promote(@PathParam("team") String team, PromoteBody body) {
    Caller caller = callers.caller();
    caller.requireWritableTeam(team);
    SeedPool p =
        pools.promote(
            team, body == null ? null : body.offset(), caller.name(), TeamScope.writableBy(caller));
    audit.record(caller, "seed-pool.promote", "team:" + team, String.valueOf(p.offsets()));
    return PoolView.of(p);
  }
}
