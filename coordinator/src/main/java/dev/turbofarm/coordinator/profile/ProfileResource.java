package dev.turbofarm.coordinator.profile;

import dev.turbofarm.common.profile.Profile;
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
  public List<Profile> list() {
    return profiles.all();
  }
}
