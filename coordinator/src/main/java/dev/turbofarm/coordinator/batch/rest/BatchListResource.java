package dev.turbofarm.coordinator.batch.rest;

import dev.turbofarm.coordinator.batch.service.BatchListing;
import dev.turbofarm.coordinator.http.ListParams;
import dev.turbofarm.coordinator.http.PageCursor;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Lists batches: {@code GET /api/v1/batches}. Beside {@link BatchResource}: intake stays apart. */
@Path("/api/v1/batches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "batches")
public class BatchListResource {
  private final BatchListing listing;
  private final CallerContext callers;

  BatchListResource(BatchListing listing, CallerContext callers) {
    this.listing = listing;
    this.callers = callers;
  }

  /**
   * A page of batches.
   *
   * @param items the batches, newest first
   * @param next pass as {@code after} for the next page; null on the last page
   */
  public record BatchPage(List<BatchListing.Summary> items, String next) {}

  @GET
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  @Operation(
      summary = "List batches, newest first",
      description =
          "The caller's team (an analyst: every team it may read; an admin: its own, 'team=X' or"
              + " 'team=all'). Filters: state (RUNNING, COMPLETED, CANCELLED; comma-separated),"
              + " from (inclusive), to (exclusive; a date keeps that day). Pages: limit (1..200,"
              + " default 50) and after=<next of the previous page>. Live progress is"
              + " GET /api/v1/batches/{id}.")
  public BatchPage list(
      @QueryParam("team") String team,
      @QueryParam("state") String state,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    Caller caller = callers.caller();
    ListParams p = new ListParams();
    Set<String> states = p.oneOf("state", state, new TreeSet<>(BatchListing.STATES));
    OffsetDateTime f = p.time("from", from, false);
    OffsetDateTime t = p.time("to", to, true);
    p.order(f, t);
    PageCursor cursor = p.after(after);
    int n = p.limit(limit);
    p.check();
    BatchListing.Page page =
        listing.list(
            new BatchListing.Query(TeamScope.listedBy(caller, team), states, f, t, cursor, n),
            caller);
    return new BatchPage(page.batches(), page.next() == null ? null : page.next().token());
  }
}
