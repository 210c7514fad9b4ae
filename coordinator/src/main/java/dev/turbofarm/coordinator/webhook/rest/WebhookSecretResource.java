package dev.turbofarm.coordinator.webhook.rest;

import dev.turbofarm.coordinator.webhook.service.WebhookSecrets;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;

/**
 * {@code /api/v1/admin/teams/{team}/webhook-secret}: the secret a team's webhook receivers verify
 * signatures with (Standard Webhooks, {@code whsec_...}): read it (made on first use), set it, or
 * rotate it to a new random one.
 */
@Path("/api/v1/admin/teams/{team}/webhook-secret")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookSecretResource {
  private final WebhookSecrets secrets;

  WebhookSecretResource(WebhookSecrets secrets) {
    this.secrets = secrets;
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
  public SecretView get(@PathParam("team") String team) {
    return SecretView.of(secrets.of(team));
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  public SecretView set(@PathParam("team") String team, SetSecret body) {
    if (body == null || body.secret() == null) {
      throw dev.turbofarm.coordinator.error.InvalidInputProblem.of(
          "secret", "is required; POST to this path makes a new random one");
    }
    return SecretView.of(secrets.set(team, body.secret()));
  }

  /** Rotates: a new random secret, returned once here (GET shows it again to admins). */
  @POST
  public SecretView rotate(@PathParam("team") String team) {
    return SecretView.of(secrets.set(team, null));
  }
}
