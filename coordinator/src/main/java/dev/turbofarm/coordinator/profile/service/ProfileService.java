package dev.turbofarm.coordinator.profile.service;

import dev.turbofarm.common.profile.Profile;
import dev.turbofarm.coordinator.profile.persistence.ProfileRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The use-case profiles. Read from the table on each call: a handful of rows, and an admin's SQL
 * edit takes effect without a restart.
 */
@ApplicationScoped
public class ProfileService {
  private final ProfileRepository profiles;

  ProfileService(ProfileRepository profiles) {
    this.profiles = profiles;
  }

  public List<Profile> all() {
    return profiles.all();
  }

  /** A lookup over one snapshot of the table, for resolving many jobs at once. */
  public Function<String, Optional<Profile>> lookup() {
    Map<String, Profile> byName =
        all().stream().collect(Collectors.toMap(Profile::name, Function.identity()));
    return name -> Optional.ofNullable(byName.get(name));
  }
}
