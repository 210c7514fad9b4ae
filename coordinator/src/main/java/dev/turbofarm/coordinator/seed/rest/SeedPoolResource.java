package dev.turbofarm.coordinator.seed.rest;

import dev.turbofarm.coordinator.seed.service.SeedPool;
import dev.turbofarm.coordinator.seed.service.SeedPools;
import dev.turbofarm.coordinator.team.service.TeamScope;
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
  /** Who changes a pool until API keys name the caller (issue 10). */
  static final String ANONYMOUS = "anonymous";

  private final SeedPools pools;

  SeedPoolResource(SeedPools pools) {
    this.pools = pools;
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

  @GET
  public PoolView get(@PathParam("team") String team) {
    return PoolView.of(pools.get(team, TeamScope.all()));
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  public PoolView set(@PathParam("team") String team, PoolBody body) {
    return PoolView.of(
        pools.set(team, body == null ? null : body.offsets(), ANONYMOUS, TeamScope.all()));
  }

  @POST
  @Path("/promote")
  @Consumes(MediaType.APPLICATION_JSON)
  public PoolView promote(@PathParam("team") String team, PromoteBody body) {
    return PoolView.of(
        pools.promote(team, body == null ? null : body.offset(), ANONYMOUS, TeamScope.all()));
  }
}
