package dev.turbofarm.coordinator.image.rest;

import dev.turbofarm.coordinator.image.service.Retention;
import dev.turbofarm.coordinator.image.service.Retention.Policy;
import dev.turbofarm.coordinator.image.service.StorageReport;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Storage for admins: {@code GET /api/v1/admin/storage} (bytes and images per team, oldest image,
 * expired in the last 7 days) and each team's retention, {@code GET/PUT
 * /api/v1/admin/teams/{team}/retention}.
 */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class StorageAdminResource {
  private final StorageReport report;
  private final Retention retention;
  private final CallerContext callers;

  StorageAdminResource(StorageReport report, Retention retention, CallerContext callers) {
    this.report = report;
    this.retention = retention;
    this.callers = callers;
  }

  /** The report. */
  public record StorageView(String store, String location, List<TeamView> teams) {}

  /**
   * One team.
   *
   * @param retentionDays null: kept forever
   * @param expiredLast7Days images retention deleted in the last 7 days
   */
  public record TeamView(
      String team,
      long images,
      long bytes,
      OffsetDateTime oldestImage,
      long expiredLast7Days,
      long expiredLast7DaysBytes,
      Integer retentionDays) {}

  /** A team's retention as the API shows and takes it; days null keeps images forever. */
  public record RetentionView(
      String team, Integer days, boolean deleteApproved, OffsetDateTime updatedAt) {}

  /** The body of a PUT: {@code {"days": 30, "deleteApproved": false}}; days null: forever. */
  public record RetentionRequest(Integer days, Boolean deleteApproved) {}

  @GET
  @Path("/storage")
  @RolesAllowed(Roles.ADMIN)
  public StorageView storage() {
    StorageReport.Report r = report.now();
    return new StorageView(
        r.kind(),
        r.where(),
        r.teams().stream()
            .map(
                t ->
                    new TeamView(
                        t.team(),
                        t.images(),
                        t.bytes(),
                        t.oldest(),
                        t.expiredLast7Days(),
                        t.expiredLast7DaysBytes(),
                        t.retentionDays()))
            .toList());
  }

  @GET
  @Path("/teams/{team}/retention")
  @RolesAllowed(Roles.ADMIN)
  public RetentionView retention(@PathParam("team") String team) {
    return view(retention.of(team));
  }

  @PUT
  @Path("/teams/{team}/retention")
  @RolesAllowed(Roles.ADMIN)
  @Consumes(MediaType.APPLICATION_JSON)
  public RetentionView setRetention(@PathParam("team") String team, RetentionRequest body) {
    RetentionRequest b = body == null ? new RetentionRequest(null, false) : body;
    return view(
        retention.set(
            team, b.days(), b.deleteApproved() != null && b.deleteApproved(), callers.caller()));
  }

  private static RetentionView view(Policy p) {
    return new RetentionView(p.team(), p.days(), p.deleteApproved(), p.updatedAt());
  }
}
