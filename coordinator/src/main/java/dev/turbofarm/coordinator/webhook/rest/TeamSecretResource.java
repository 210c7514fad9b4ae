package dev.turbofarm.coordinator.webhook.rest;

import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import dev.turbofarm.coordinator.webhook.service.WebhookSecrets;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/teams/{team}/webhook-secret}: a submitter reads its own team's webhook signing
 * secret, to verify the batches' webhooks it receives; another team's is a 404.
 */
@Path("/api/v1/teams/{team}/webhook-secret")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "batches")
public class TeamSecretResource {
  private final WebhookSecrets secrets;
  private final CallerContext callers;

  TeamSecretResource(WebhookSecrets secrets, CallerContext callers) {
    this.secrets = secrets;
    this.callers = callers;
  }

  @GET
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  @Operation(summary = "Your team's webhook signing secret (Standard Webhooks, whsec_...)")
  public WebhookSecretResource.SecretView get(@PathParam("team") String team) {
    // Another team's: a 404, as for any other team's object.
    callers.caller().requireWritableTeam(team);
    return WebhookSecretResource.SecretView.of(secrets.of(team));
  }
}
