package dev.turbofarm.coordinator.analytics.service;

import java.time.LocalDate;
import java.util.List;

/**
 * A summary of the image history: figures per group over UTC days {@code from..to}.
 *
 * @param groupBy the dimensions' API names, the order of each group's key
 * @param rolledDays days read from their rollups
 * @param rowDays days read from the image rows (today, changed days, or every day when a filter or
 *     dimension is not kept by rollups)
 */
public record Summary(
    LocalDate from,
    LocalDate to,
    List<String> groupBy,
    List<Group> groups,
    int rolledDays,
    int rowDays) {

  /**
   * One group's figures.
   *
   * @param key the group's value per dimension of {@code groupBy}
   * @param meanQuality null when none of its images has a quality
   * @param approvalRate approved / (approved + rejected); null while none is reviewed
   * @param meanQueueWaitMs mean wait from acceptance to render, ms
   */
  public record Group(
      List<Object> key,
      long images,
      Double meanQuality,
      Double p50Quality,
      long approved,
      long rejected,
      Double approvalRate,
      Double p50RenderMs,
      Double p95RenderMs,
      Double meanQueueWaitMs) {}
}
