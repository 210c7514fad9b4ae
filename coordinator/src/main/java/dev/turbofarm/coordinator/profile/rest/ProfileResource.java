package dev.turbofarm.coordinator.profile.rest;

import dev.turbofarm.coordinator.profile.service.ProfileService;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/profiles}: the use cases a job may name, with their values. */
@Path("/api/v1/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "profiles")
public class ProfileResource {
  private final ProfileService profiles;

  ProfileResource(ProfileService profiles) {
    this.profiles = profiles;
  }

  @GET
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  @Operation(summary = "Size and step profiles a job may name")
  public List<ProfileView> list() {
    return profiles.all().stream()
        .map(
            p ->
                new ProfileView(
                    p.name(), p.width(), p.height(), p.steps(), p.guidance(), p.description()))
        .toList();
  }

  /** A profile as the API shows it. */
  public record ProfileView(
      String name, int width, int height, int steps, double guidance, String description) {}
}
