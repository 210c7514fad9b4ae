package dev.turbofarm.coordinator.image.rest;

import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.image.service.ImageDownloads;
import dev.turbofarm.coordinator.image.service.ImageUrls;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * A job's images: {@code GET /api/v1/jobs/{id}/images/{index}} (the PNG) and {@code
 * .../thumbnail?size=128|256|512} (the JPEG the worker stored beside it).
 */
@Path("/api/v1/jobs/{id}/images/{index}")
public class ImageResource {
  private final ImageDownloads downloads;

  ImageResource(ImageDownloads downloads) {
    this.downloads = downloads;
  }

  /** The PNG, streamed (or a 302 to the object store when configured). */
  @GET
  public Response image(
      @PathParam("id") UUID id,
      @PathParam("index") int index,
      @HeaderParam("Range") String range,
      @HeaderParam("If-None-Match") String ifNoneMatch) {
    return Downloads.serve(downloads, downloads.image(id, index), range, ifNoneMatch, true);
  }

  /** The thumbnail of {@code size} px (default 256), as stored; never resized on request. */
  @GET
  @Path("/thumbnail")
  public Response thumbnail(
      @PathParam("id") UUID id,
      @PathParam("index") int index,
      @QueryParam("size") String size,
      @HeaderParam("Range") String range,
      @HeaderParam("If-None-Match") String ifNoneMatch) {
    int px;
    try {
      px = size == null || size.isBlank() ? ImageUrls.DEFAULT_THUMBNAIL : Integer.parseInt(size);
    } catch (NumberFormatException e) {
      throw InvalidInputProblem.of("size", "is '" + size + "'; must be 128, 256 or 512");
    }
    return Downloads.serve(
        downloads, downloads.thumbnail(id, index, px), range, ifNoneMatch, false);
  }
}
