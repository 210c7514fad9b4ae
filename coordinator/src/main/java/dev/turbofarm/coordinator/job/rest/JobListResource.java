package dev.turbofarm.coordinator.job.rest;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.coordinator.http.ListParams;
import dev.turbofarm.coordinator.http.PageCursor;
import dev.turbofarm.coordinator.image.service.ImageUrls;
import dev.turbofarm.coordinator.job.service.JobCancellation;
import dev.turbofarm.coordinator.job.service.JobListing;
import dev.turbofarm.coordinator.job.service.JobService;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Lists jobs ({@code GET /api/v1/jobs}) and cancels one ({@code POST /api/v1/jobs/{id}/cancel}).
 * Beside {@link JobResource} rather than in it: submit and read stay small.
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
public class JobListResource {
  private static final Set<String> STATES =
      new LinkedHashSet<>(Arrays.stream(JobState.values()).map(Enum::name).toList());

  private final JobListing listing;
  private final JobCancellation cancellation;
  private final JobService jobs;
  private final CallerContext callers;
  private final ImageUrls urls;

  JobListResource(
      JobListing listing,
      JobCancellation cancellation,
      JobService jobs,
      CallerContext callers,
      ImageUrls urls) {
    this.listing = listing;
    this.cancellation = cancellation;
    this.jobs = jobs;
    this.callers = callers;
    this.urls = urls;
  }

  /**
   * A page of jobs.
   *
   * @param items the jobs, newest first
   * @param next pass as {@code after} for the next page; null on the last page
   */
  public record JobPage(List<JobSummary> items, String next) {}

  @GET
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  @Operation(
      summary = "List jobs, newest first",
      description =
          "The caller's team (an analyst: every team it may read; an admin: its own, 'team=X' or"
              + " 'team=all'). Filters: state (comma-separated), batch, from (inclusive), to"
              + " (exclusive; a date keeps that day). Pages: limit (1..200, default 50) and"
              + " after=<next of the previous page>. A team the caller may not read is a 404.")
  public JobPage list(
      @QueryParam("team") String team,
      @QueryParam("state") String state,
      @QueryParam("batch") String batch,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    Caller caller = callers.caller();
    ListParams p = new ListParams();
    Set<String> states = p.oneOf("state", state, STATES);
    UUID batchId = p.uuid("batch", batch);
    OffsetDateTime f = p.time("from", from, false);
    OffsetDateTime t = p.time("to", to, true);
    p.order(f, t);
    PageCursor cursor = p.after(after);
    int n = p.limit(limit);
    p.check();
    JobListing.Page page =
        listing.list(
            new JobListing.Query(
                TeamScope.listedBy(caller, team),
                java.util.Set.of(),
                states,
                batchId,
                f,
                t,
                cursor,
                n),
            caller);
    return new JobPage(
        page.jobs().stream().map(JobSummary::of).toList(),
        page.next() == null ? null : page.next().token());
  }

  @POST
  @Path("/{id}/cancel")
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  @Operation(
      summary = "Cancel a queued job",
      description =
          "QUEUED becomes CANCELLED and never renders; any other state is a 409 naming it. Recorded"
              + " in the audit trail. Another team's job is a 404.")
  public JobView cancel(@PathParam("id") UUID id, @Context UriInfo uri) {
    Caller caller = callers.caller();
    cancellation.cancel(id, caller);
    return JobView.of(jobs.get(id, caller), urls.base(uri.getBaseUri()));
  }
}
