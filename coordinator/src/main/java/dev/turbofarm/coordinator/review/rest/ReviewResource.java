package dev.turbofarm.coordinator.review.rest;

import dev.turbofarm.coordinator.error.NotFoundProblem;
import dev.turbofarm.coordinator.review.service.Review;
import dev.turbofarm.coordinator.review.service.Reviews;
import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@code PUT /api/v1/images/{jobId}/{index}/review}: an image's verdict ({@code approved}, {@code
 * rejected} or null), rating 1..5 and note; {@code GET} reads it back.
 */
@Path("/api/v1/images/{jobId}/{index}/review")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {
  private final Reviews reviews;
  private final CallerContext callers;
  private final Audit audit;

  ReviewResource(Reviews reviews, CallerContext callers, Audit audit) {
    this.reviews = reviews;
    this.callers = callers;
    this.audit = audit;
  }

  /**
   * A review as the caller sends it.
   *
   * @param verdict {@code approved}, {@code rejected}, or null to clear it
   * @param rating 1..5
   * @param note free text for the next reviewer
   */
  public record ReviewRequest(String verdict, Integer rating, String note) {}

  /** A review as the API shows it. */
  public record ReviewView(
      UUID jobId,
      int index,
      String verdict,
      Integer rating,
      String note,
      String reviewer,
      OffsetDateTime reviewedAt) {
    static ReviewView of(Review r) {
      return new ReviewView(
          r.jobId(), r.index(), r.verdict(), r.rating(), r.note(), r.reviewer(), r.reviewedAt());
    }
  }

  /**
   * Reviews an image of the caller's team (another team's is a 404); the key's name is the
   * reviewer, and the review goes to the audit trail.
   */
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  public ReviewView review(
      @PathParam("jobId") UUID jobId, @PathParam("index") int index, ReviewRequest request) {
    ReviewRequest r = request == null ? new ReviewRequest(null, null, null) : request;
    Caller caller = callers.caller();
    Review done =
        reviews.review(
            jobId,
            index,
            r.verdict(),
            r.rating(),
            r.note(),
            caller.name(),
            TeamScope.writableBy(caller));
    audit.record(
        caller,
        "image.review",
        "image:" + jobId + "/" + index,
        "verdict=" + done.verdict() + ", rating=" + done.rating());
    return ReviewView.of(done);
  }

  @GET
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  public ReviewView get(@PathParam("jobId") UUID jobId, @PathParam("index") int index) {
    Review r = reviews.get(jobId, index, TeamScope.readableBy(callers.caller()));
    if (r == null) {
      throw new NotFoundProblem("image " + index + " of job " + jobId + " has no review yet");
    }
    return ReviewView.of(r);
  }
}
