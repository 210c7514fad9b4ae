package dev.turbofarm.coordinator.profile.rest;

import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.profile.service.ProfileService;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/profiles}: the size (use-case) profiles a job may name, as the array old
 * clients read, each now naming its default {@code stepProfile}; {@code ?include=steps} answers
 * both kinds at once, {@code {"sizes": [...], "steps": [...]}}; {@code GET /api/v1/profiles/steps}
 * the step profiles a job's {@code steps} may name.
 */
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
  @Operation(
      summary = "Size profiles a job may name",
      description = "An array of size profiles; ?include=steps answers {sizes, steps}.")
  public Object list(@QueryParam("include") String include) {
    if (include == null || include.isBlank()) {
      return sizes();
    }
    if (!include.trim().equals("steps")) {
      throw InvalidInputProblem.of("include", "is '" + include + "'; the only value is steps");
    }
    return new AllProfilesView(sizes(), steps());
  }

  @GET
  @Path("/steps")
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  @Operation(summary = "Step profiles a job's steps may name")
  public List<StepProfileView> steps() {
    return profiles.steps().stream()
        .map(s -> new StepProfileView(s.name(), s.steps(), s.description()))
        .toList();
  }

  private List<ProfileView> sizes() {
    return profiles.all().stream()
        .map(
            p ->
                new ProfileView(
                    p.name(),
                    p.width(),
                    p.height(),
                    p.steps(),
                    p.guidance(),
                    p.description(),
                    p.stepProfile()))
        .toList();
  }

  /**
   * A size profile as the API shows it.
   *
   * @param steps the steps of its default step profile
   * @param stepProfile its default step profile's name
   */
  public record ProfileView(
      String name,
      int width,
      int height,
      int steps,
      double guidance,
      String description,
      String stepProfile) {}

  /** A step profile as the API shows it. */
  public record StepProfileView(String name, int steps, String description) {}

  /** Both kinds of profile. */
  public record AllProfilesView(List<ProfileView> sizes, List<StepProfileView> steps) {}
}
