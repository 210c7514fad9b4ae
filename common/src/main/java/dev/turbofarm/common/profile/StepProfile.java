package dev.turbofarm.common.profile;

/**
 * A step profile: how long the sampler works on an image, by purpose. Beside the size profiles
 * (what the image is for and how large); each size profile names its default step profile. Data,
 * like the size profiles: a table seeded by a migration.
 *
 * @param name the step profile's name: {@code explore}, {@code daily}, {@code final}...
 * @param steps sampler steps
 * @param description what the profile is for
 */
public record StepProfile(String name, int steps, String description) {}
