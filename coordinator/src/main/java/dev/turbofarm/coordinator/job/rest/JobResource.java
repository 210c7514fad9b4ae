package dev.turbofarm.coordinator.job.rest;

import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.coordinator.idempotency.service.Idempotency;
import dev.turbofarm.coordinator.image.service.ImageUrls;
import dev.turbofarm.coordinator.job.service.Job;
import dev.turbofarm.coordinator.job.service.JobService;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Single jobs: {@code POST /api/v1/jobs}, {@code GET /api/v1/jobs/{id}}. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
public class JobResource {
  private final JobService jobs;
  private final CallerContext callers;
  private final Idempotency idempotency;
  private final ImageUrls urls;

  JobResource(JobService jobs, CallerContext callers, ImageUrls urls, Idempotency idempotency) {
    this.idempotency = idempotency;
    this.jobs = jobs;
    this.callers = callers;
    this.urls = urls;
  }

  /** Accepts a job: 202 once it is durable in PostgreSQL, with its Location. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  @Operation(
      summary = "Submit a job",
      description =
          "202 with Location once the job is durable in PostgreSQL. The job belongs to the"
              + " credential's team; a body 'team' naming another team is a 403 (admins may name"
              + " any).")
  public Response submit(
      JobRequest request,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @Context UriInfo uri) {
    // Idempotency-Key (issue 14): a retry with the key gets the first answer, not a second job.
    var caller = callers.caller();
    var created = new java.util.concurrent.atomic.AtomicReference<Job>();
    Idempotency.Outcome once =
        idempotency.once(
            idempotencyKey,
            caller,
            "job",
            Idempotency.hash(String.valueOf(request)),
            () -> {
              created.set(jobs.submit(request, caller));
              return created.get().id();
            });
    Job submitted = created.get() != null ? created.get() : jobs.get(once.id(), caller);
    JobView job = JobView.of(submitted, urls.base(uri.getBaseUri()));
    Response.ResponseBuilder answer =
        Response.accepted(job)
            .location(
                uri.getBaseUriBuilder().path("api/v1/jobs").path(job.id().toString()).build());
    return once.replayed() ? answer.header("Idempotent-Replayed", "true").build() : answer.build();
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  @Operation(
      summary = "A job with its images",
      description = "Another team's job is a 404, as an unknown one.")
  public JobView get(@PathParam("id") UUID id, @Context UriInfo uri) {
    return JobView.of(jobs.get(id, callers.caller()), urls.base(uri.getBaseUri()));
  }
}
