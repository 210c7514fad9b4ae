package dev.turbofarm.coordinator.seed.rest;

import dev.turbofarm.common.job.Steps;
import dev.turbofarm.coordinator.image.service.ImageUrls;
import dev.turbofarm.coordinator.job.rest.JobView;
import dev.turbofarm.coordinator.job.service.Job;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import dev.turbofarm.coordinator.seed.service.Derivations;
import dev.turbofarm.coordinator.seed.service.LineageImage;
import dev.turbofarm.coordinator.seed.service.Lineages;
import dev.turbofarm.coordinator.seed.service.RefineRequest;
import dev.turbofarm.coordinator.seed.service.VariantsRequest;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;

/**
 * Seed reuse from one rendered image: {@code POST .../variants} (the parent's seed plus each pool
 * offset), {@code .../refine} (same seed, more steps), {@code .../rerun} (same everything), each
 * answering 202 with the new job; {@code GET .../lineage} (ancestry back to the exploration, and
 * the children) and {@code GET .../children}.
 */
@Path("/api/v1/images/{jobId}/{index}")
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {
  private final Derivations derivations;
  private final Lineages lineages;
  private final CallerContext callers;
  private final ImageUrls urls;

  ImageResource(Derivations derivations, Lineages lineages, CallerContext callers, ImageUrls urls) {
    this.derivations = derivations;
    this.lineages = lineages;
    this.callers = callers;
    this.urls = urls;
  }

  /**
   * A variants call; everything absent is the parent's.
   *
   * @param pool offsets added to the parent's seed, mod 2^32; the team's pool when absent
   * @param steps a number or a step profile's name
   */
  public record VariantsBody(
      List<Long> pool, String prompt, String negativePrompt, String profile, Steps steps) {}

  /**
   * A refine call.
   *
   * @param steps a number or a step profile's name; {@code final} when absent
   * @param guidance the parent's when absent
   */
  public record RefineBody(Steps steps, Double guidance) {}

  @POST
  @Path("/variants")
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  @Consumes(MediaType.WILDCARD)
  public Response variants(
      @PathParam("jobId") UUID jobId,
      @PathParam("index") int index,
      VariantsBody body,
      @Context UriInfo uri) {
    VariantsRequest r =
        body == null
            ? null
            : new VariantsRequest(
                body.pool(), body.prompt(), body.negativePrompt(), body.profile(), body.steps());
    return accepted(derivations.variants(jobId, index, r, writable()), uri);
  }

  @POST
  @Path("/refine")
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  @Consumes(MediaType.WILDCARD)
  public Response refine(
      @PathParam("jobId") UUID jobId,
      @PathParam("index") int index,
      RefineBody body,
      @Context UriInfo uri) {
    RefineRequest r = body == null ? null : new RefineRequest(body.steps(), body.guidance());
    return accepted(derivations.refine(jobId, index, r, writable()), uri);
  }

  @POST
  @Path("/rerun")
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  @Consumes(MediaType.WILDCARD)
  public Response rerun(
      @PathParam("jobId") UUID jobId, @PathParam("index") int index, @Context UriInfo uri) {
    return accepted(derivations.rerun(jobId, index, writable()), uri);
  }

  /**
   * An image's lineage.
   *
   * @param ancestry the exploration it started from first, the image itself last
   * @param children images derived from it directly
   */
  public record LineageView(List<LineageImage> ancestry, List<LineageImage> children) {}

  @GET
  @Path("/lineage")
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  public LineageView lineage(@PathParam("jobId") UUID jobId, @PathParam("index") int index) {
    Lineages.Lineage l = lineages.of(jobId, index, TeamScope.readableBy(callers.caller()));
    return new LineageView(l.ancestry(), l.children());
  }

  /** Images derived from this one: its children, or with {@code ?all=true} every generation. */
  @GET
  @Path("/children")
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  public List<LineageImage> children(
      @PathParam("jobId") UUID jobId,
      @PathParam("index") int index,
      @QueryParam("all") boolean all) {
    return lineages.descendants(jobId, index, all, TeamScope.readableBy(callers.caller()));
  }

  /** Another team's image is a 404 (as unknown); a submitter derives in its own team only. */
  private TeamScope writable() {
    return TeamScope.writableBy(callers.caller());
  }

  private Response accepted(Job derived, UriInfo uri) {
    JobView job = JobView.of(derived, urls.base(uri.getBaseUri()));
    return Response.accepted(job)
        .location(uri.getBaseUriBuilder().path("api/v1/jobs").path(job.id().toString()).build())
        .build();
  }
}
