package dev.turbofarm.coordinator.image.rest;

import dev.turbofarm.coordinator.image.service.BatchZip;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Optional;
import java.util.UUID;

/** {@code GET /api/v1/batches/{id}/images.zip[?after=SKU]}: every stored image of a batch. */
@Path("/api/v1/batches/{id}/images.zip")
public class BatchImagesResource {
  private final BatchZip zip;

  BatchImagesResource(BatchZip zip) {
    this.zip = zip;
  }

  /**
   * The ZIP, streamed while it is built: entries {@code SKU_index.png} in catalogue order; {@code
   * after} resumes after that SKU's images.
   */
  @GET
  public Response zip(@PathParam("id") UUID id, @QueryParam("after") String after) {
    Optional<UUID> resume = zip.prepare(id, after);
    StreamingOutput out = os -> zip.write(id, resume, os);
    String name =
        "batch-" + id + (after == null || after.isEmpty() ? "" : "-after") + "-images.zip";
    return Response.ok(out, "application/zip")
        .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
        .header("Cache-Control", "private, no-store")
        .build();
  }
}
