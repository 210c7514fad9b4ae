package dev.turbofarm.coordinator.webhook.rest;

import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import dev.turbofarm.coordinator.webhook.service.WebhookSecrets;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/admin/teams/{team}/webhook-secret}: the secret a team's webhook receivers verify
 * signatures with (Standard Webhooks, {@code whsec_...}): read it (made on first use), set it, or
 * rotate it to a new random one. Admins only; setting and rotating are audited. A submitter reads
 * its own team's at {@code /api/v1/teams/{team}/webhook-secret} ({@link TeamSecretResource}).
 */
@Path("/api/v1/admin/teams/{team}/webhook-secret")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class WebhookSecretResource {
  private final WebhookSecrets secrets;
  private final CallerContext callers;
  private final Audit audit;

  WebhookSecretResource(WebhookSecrets secrets, CallerContext callers, Audit audit) {
    this.secrets = secrets;
    this.callers = callers;
    this.audit = audit;
  }

  /** A team's webhook secret. */
  public record SecretView(String team, String secret, OffsetDateTime updatedAt) {
    static SecretView of(WebhookSecrets.Secret s) {
      return new SecretView(s.team(), s.secret(), s.updatedAt());
    }
  }

  /** A secret to set: {@code whsec_} and 16..64 key bytes in base64. */
  public record SetSecret(String secret) {}

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "A team's webhook signing secret (made on first use)")
  public SecretView get(@PathParam("team") String team) {
    return SecretView.of(secrets.of(team));
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Set a team's webhook signing secret",
      description = "whsec_ and 16..64 key bytes in base64. Recorded in the audit trail.")
  public SecretView set(@PathParam("team") String team, SetSecret body) {
    if (body == null || body.secret() == null) {
      throw InvalidInputProblem.of(
          "secret", "is required; POST to this path makes a new random one");
    }
    SecretView v = SecretView.of(secrets.set(team, body.secret()));
    audit.record(callers.caller(), "webhook-secret.set", "team:" + team, null);
    return v;
  }

  /** Rotates: a new random secret. */
  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Rotate a team's webhook signing secret",
      description =
          "A new random secret; receivers need it from now on. Recorded in the audit trail.")
  public SecretView rotate(@PathParam("team") String team) {
    SecretView v = SecretView.of(secrets.set(team, null));
    audit.record(callers.caller(), "webhook-secret.rotate", "team:" + team, null);
    return v;
  }
}
