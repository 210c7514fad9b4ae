package dev.turbofarm.coordinator.profile;

import dev.turbofarm.common.profile.Profile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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
  private final EntityManager em;

  ProfileService(EntityManager em) {
    this.em = em;
  }

  public List<Profile> all() {
    return em
        .createQuery("from ProfileEntity order by position", ProfileEntity.class)
        .getResultList()
        .stream()
        .map(ProfileEntity::toRecord)
        .toList();
  }

  /** A lookup over one snapshot of the table, for resolving many jobs at once. */
  public Function<String, Optional<Profile>> lookup() {
    Map<String, Profile> byName =
        all().stream().collect(Collectors.toMap(Profile::name, Function.identity()));
    return name -> Optional.ofNullable(byName.get(name));
  }
}
