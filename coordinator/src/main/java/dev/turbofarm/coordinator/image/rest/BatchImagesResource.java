package dev.turbofarm.coordinator.image.rest;

import dev.turbofarm.coordinator.image.service.BatchZip;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.RequestLimits;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /api/v1/batches/{id}/images.zip[?after=SKU][&verdict=approved]}: every stored image of
 * a batch, or those with one review verdict.
 */
@Path("/api/v1/batches/{id}/images.zip")
public class BatchImagesResource {
  private final BatchZip zip;
  private final CallerContext callers;
  private final RequestLimits limits;

  BatchImagesResource(BatchZip zip, CallerContext callers, RequestLimits limits) {
    this.zip = zip;
    this.callers = callers;
    this.limits = limits;
  }

  /**
   * The ZIP, streamed while it is built: entries {@code SKU_index.png} in catalogue order; {@code
   * after} resumes after that SKU's images; {@code verdict} ({@code approved}, {@code rejected},
   * {@code unreviewed}, default {@code all}) keeps only the images with that review. Another team's
   * batch is a 404; the download counts against the key's concurrent streams.
   */
  @GET
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  public Response zip(
      @PathParam("id") UUID id,
      @QueryParam("after") String after,
      @QueryParam("verdict") String verdict) {
    String selection = BatchZip.verdict(verdict);
    Caller caller = callers.caller();
    Optional<UUID> resume = zip.prepare(id, after, caller);
    RequestLimits.Stream stream = limits.openStream(caller);
    StreamingOutput out =
        os -> {
          try (stream) {
            zip.write(id, resume, selection, os);
          }
        };
    String name =
        "batch-"
            + id
            + (selection.equals("all") ? "" : "-" + selection)
            + (after == null || after.isEmpty() ? "" : "-after")
            + "-images.zip";
    return Response.ok(out, "application/zip")
        .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
        .header("Cache-Control", "private, no-store")
        .build();
  }
}
