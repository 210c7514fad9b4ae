package dev.turbofarm.coordinator.security.service;

/**
 * A key just created: the only time its secret is known to anyone but its holder.
 *
 * @param secret the whole key, {@code tf_...}; shown once, stored only as a hash
 */
public record CreatedKey(ApiKey key, String secret) {}
