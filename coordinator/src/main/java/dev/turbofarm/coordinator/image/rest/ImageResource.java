package dev.turbofarm.coordinator.image.rest;

import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.image.service.ImageDownloads;
import dev.turbofarm.coordinator.image.service.ImageUrls;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * A job's images: {@code GET /api/v1/jobs/{id}/images/{index}} (the PNG) and {@code
 * .../thumbnail?size=128|256|512} (the JPEG the worker stored beside it). Another team's image is a
 * 404, as an unknown one.
 */
@Path("/api/v1/jobs/{id}/images/{index}")
public class ImageResource {
  private final ImageDownloads downloads;
  private final CallerContext callers;

  ImageResource(ImageDownloads downloads, CallerContext callers) {
    this.downloads = downloads;
    this.callers = callers;
  }

  /** The PNG, streamed (or a 302 to the object store when configured). */
  @GET
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  public Response image(
      @PathParam("id") UUID id,
      @PathParam("index") int index,
      @HeaderParam("Range") String range,
      @HeaderParam("If-None-Match") String ifNoneMatch) {
    return Downloads.serve(
        downloads, downloads.image(id, index, callers.caller()), range, ifNoneMatch, true);
  }

  /** The thumbnail of {@code size} px (default 256), as stored; never resized on request. */
  @GET
  @Path("/thumbnail")
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
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
        downloads, downloads.thumbnail(id, index, px, callers.caller()), range, ifNoneMatch, false);
  }
}
