package dev.turbofarm.coordinator.deadletter.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.coordinator.error.ConflictProblem;
import java.util.UUID;

/** Replay of a job that is not in the dead-letter list: a 409. */
public final class NotDeadLetterException extends ConflictProblem {
  public NotDeadLetterException(UUID id, JobState state) {
    super("job " + id + " is " + state + ", not FAILED; only dead letters can be replayed");
  }
}
