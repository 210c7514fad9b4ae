package dev.turbofarm.coordinator.job.persistence;

import dev.turbofarm.common.job.JobState;

/**
 * Jobs of one state in a batch.
 *
 * @param jobs how many
 * @param images their images in all
 * @param recentImages images of those that succeeded within the asked window
 */
public record StateCount(JobState state, long jobs, long images, long recentImages) {}
