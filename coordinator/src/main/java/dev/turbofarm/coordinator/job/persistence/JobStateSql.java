package dev.turbofarm.coordinator.job.persistence;

import dev.turbofarm.common.job.JobState;

/**
 * Job states as SQL literals, built from {@link JobState}, for statements that name a state.
 * Literals rather than bound parameters: the partial indexes ({@code WHERE state = 'QUEUED'}) are
 * only used when the planner sees the value.
 */
public final class JobStateSql {
  public static final String QUEUED = literal(JobState.QUEUED);
  public static final String DISPATCHED = literal(JobState.DISPATCHED);
  public static final String SUCCEEDED = literal(JobState.SUCCEEDED);
  public static final String FAILED = literal(JobState.FAILED);
  public static final String CANCELLED = literal(JobState.CANCELLED);

  private JobStateSql() {}

  /** {@code 'NAME'}: enum names are plain identifiers, nothing to escape. */
  public static String literal(JobState state) {
    return "'" + state.name() + "'";
  }
}
