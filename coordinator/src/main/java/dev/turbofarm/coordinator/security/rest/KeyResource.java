package dev.turbofarm.coordinator.security.rest;

import dev.turbofarm.coordinator.security.service.ApiKey;
import dev.turbofarm.coordinator.security.service.ApiKeys;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.CreatedKey;
import dev.turbofarm.coordinator.security.service.NewKey;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/admin/keys}: API keys for people and integrations. Admin only. */
@Path("/api/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class KeyResource {
  private final ApiKeys keys;
  private final CallerContext callers;

  KeyResource(ApiKeys keys, CallerContext callers) {
    this.keys = keys;
    this.callers = callers;
  }

  /**
   * A key as the API shows it: never its secret.
   *
   * @param prefix the key's first characters, to recognise it
   * @param state ACTIVE, EXPIRED or REVOKED
   */
  public record KeyView(
      UUID id,
      String prefix,
      String name,
      String role,
      String team,
      List<String> teams,
      Integer rateLimit,
      OffsetDateTime createdAt,
      String createdBy,
      OffsetDateTime expiresAt,
      OffsetDateTime revokedAt,
      OffsetDateTime lastUsedAt,
      String state) {
    static KeyView of(ApiKey k) {
      return new KeyView(
          k.id(),
          k.prefix(),
          k.name(),
          k.role(),
          k.team(),
          k.teams(),
          k.rateLimit(),
          k.createdAt(),
          k.createdBy(),
          k.expiresAt(),
          k.revokedAt(),
          k.lastUsedAt(),
          k.state());
    }
  }

  /**
   * A new key's request.
   *
   * @param name who holds it
   * @param role submitter, analyst or admin
   * @param team its own team
   * @param teams further teams an analyst key reads
   * @param rateLimit requests/s for this key (default: the configured rate of its role)
   * @param expiresAt when it stops working (default: never)
   */
  public record KeyRequest(
      String name,
      String role,
      String team,
      List<String> teams,
      Integer rateLimit,
      OffsetDateTime expiresAt) {}

  /** The one answer that carries the secret. */
  public record CreatedKeyView(KeyView key, String secret) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Create an API key",
      description = "Answers 201 with the key's secret: store it now, it is never shown again.")
  public Response create(KeyRequest request, @Context UriInfo uri) {
    CreatedKey created =
        keys.create(
            request == null
                ? null
                : new NewKey(
                    request.name(),
                    request.role(),
                    request.team(),
                    request.teams(),
                    request.rateLimit(),
                    request.expiresAt()),
            callers.caller());
    return Response.created(
            uri.getBaseUriBuilder()
                .path("api/v1/admin/keys")
                .path(created.key().id().toString())
                .build())
        .entity(new CreatedKeyView(KeyView.of(created.key()), created.secret()))
        .build();
  }

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "List API keys, newest first, without secrets")
  public List<KeyView> list(@QueryParam("revoked") @DefaultValue("false") boolean revoked) {
    return keys.list(revoked).stream().map(KeyView::of).toList();
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Revoke an API key",
      description =
          "The key stops working at once on this replica and within"
              + " turbofarm.security.key-cache-ttl (30 s) on the others.")
  public KeyView revoke(@PathParam("id") UUID id) {
    return KeyView.of(keys.revoke(id, callers.caller()));
  }
}
