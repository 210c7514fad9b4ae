package dev.turbofarm.common.profile;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One snapshot of the size and step profiles, for resolving one job or a whole catalogue against
 * the same values.
 *
 * @param sizes size profiles by name
 * @param steps step profiles by name
 * @param defaultProfile the size profile of a job that names none
 */
public record ProfileCatalog(
    Function<String, Optional<Profile>> sizes,
    Function<String, Optional<StepProfile>> steps,
    String defaultProfile) {

  /** A catalogue over these profiles. */
  public static ProfileCatalog of(
      Collection<Profile> sizes, Collection<StepProfile> steps, String defaultProfile) {
    Map<String, Profile> bySize =
        sizes.stream().collect(Collectors.toMap(Profile::name, Function.identity()));
    Map<String, StepProfile> bySteps =
        steps.stream().collect(Collectors.toMap(StepProfile::name, Function.identity()));
    return new ProfileCatalog(
        n -> Optional.ofNullable(bySize.get(n)),
        n -> Optional.ofNullable(bySteps.get(n)),
        defaultProfile);
  }

  /** Size profiles only: a job may name steps as a number, never as a step profile. */
  public static ProfileCatalog sizesOnly(
      Function<String, Optional<Profile>> sizes, String defaultProfile) {
    return new ProfileCatalog(sizes, n -> Optional.empty(), defaultProfile);
  }
}
