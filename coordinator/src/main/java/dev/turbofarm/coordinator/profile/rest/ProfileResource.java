package dev.turbofarm.coordinator.profile.rest;

import dev.turbofarm.coordinator.profile.service.ProfileService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/v1/profiles}: the use cases a job may name, with their values. */
@Path("/api/v1/profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {
  private final ProfileService profiles;

  ProfileResource(ProfileService profiles) {
    this.profiles = profiles;
  }

  @GET
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
