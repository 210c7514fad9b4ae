package dev.turbofarm.common.profile;

/**
 * A use-case (size) profile: the settings a job gets when it names only what it is for. Profiles
 * are data (a database table seeded by a migration); this record is their shape.
 *
 * @param name the profile's name, e.g. {@code concept-square}
 * @param width image width in pixels, a multiple of 64
 * @param height image height in pixels, a multiple of 64
 * @param steps sampler steps of its default step profile
 * @param guidance classifier-free guidance scale
 * @param description what the profile is for
 * @param stepProfile the name of its default step profile ({@code draft} -> {@code explore}); null
 *     for a profile that names none, whose {@code steps} then stand alone
 */
public record Profile(
    String name,
    int width,
    int height,
    int steps,
    double guidance,
    String description,
    String stepProfile) {

  /** A profile without a default step profile: its steps stand alone. */
  public Profile(
      String name, int width, int height, int steps, double guidance, String description) {
    this(name, width, height, steps, guidance, description, null);
  }
}
