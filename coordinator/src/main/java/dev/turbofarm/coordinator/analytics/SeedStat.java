package dev.turbofarm.coordinator.analytics;

/**
 * How one seed, or one pool offset, fared.
 *
 * @param value the seed, or the offset (a variant's seed minus its parent's, mod 2^32)
 * @param approvalRate approved / (approved + rejected); null while none is reviewed
 */
public record SeedStat(
    long value,
    long images,
    long approved,
    long rejected,
    Double approvalRate,
    Double meanQuality) {}
