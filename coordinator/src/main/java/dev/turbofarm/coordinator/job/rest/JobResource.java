package dev.turbofarm.coordinator.job.rest;

import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.coordinator.image.service.ImageUrls;
import dev.turbofarm.coordinator.job.service.JobService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;

/** Single jobs: {@code POST /api/v1/jobs}, {@code GET /api/v1/jobs/{id}}. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
  private final JobService jobs;
  private final ImageUrls urls;

  JobResource(JobService jobs, ImageUrls urls) {
    this.jobs = jobs;
    this.urls = urls;
  }

  /** Accepts a job: 202 once it is durable in PostgreSQL, with its Location. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response submit(JobRequest request, @Context UriInfo uri) {
    JobView job = JobView.of(jobs.submit(request), urls.base(uri.getBaseUri()));
    return Response.accepted(job)
        .location(uri.getBaseUriBuilder().path("api/v1/jobs").path(job.id().toString()).build())
        .build();
  }

  @GET
  @Path("/{id}")
  public JobView get(@PathParam("id") UUID id, @Context UriInfo uri) {
    return JobView.of(jobs.get(id), urls.base(uri.getBaseUri()));
  }
}
