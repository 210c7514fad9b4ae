package dev.turbofarm.coordinator.profile.service;

import dev.turbofarm.common.profile.Profile;
import dev.turbofarm.common.profile.ProfileCatalog;
import dev.turbofarm.common.profile.StepProfile;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.profile.persistence.ProfileRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The size (use-case) and step profiles. Read from the tables on each call: a handful of rows, and
 * an admin's SQL edit takes effect without a restart.
 */
@ApplicationScoped
public class ProfileService {
  private final ProfileRepository profiles;
  private final FarmConfig config;

  ProfileService(ProfileRepository profiles, FarmConfig config) {
    this.profiles = profiles;
    this.config = config;
  }

  public List<Profile> all() {
    return profiles.all();
  }

  public List<StepProfile> steps() {
    return profiles.steps();
  }

  /** A lookup of size profiles over one snapshot of the table. */
  public Function<String, Optional<Profile>> lookup() {
    return catalog().sizes();
  }

  /**
   * One snapshot of both tables and the default size profile, for resolving one job or a whole
   * catalogue against the same values.
   */
  public ProfileCatalog catalog() {
    return ProfileCatalog.of(all(), steps(), config.jobs().defaultProfile());
  }
}
