package dev.turbofarm.coordinator.team.service;

import dev.turbofarm.coordinator.error.QuotaExceededProblem;

/** A team would hold more QUEUED jobs than its quota allows: answered 429, nothing stored. */
public final class QuotaExceededException extends QuotaExceededProblem {
  public QuotaExceededException(String team, long queued, long adding, long quota) {
    super(
        "team '"
            + team
            + "' has "
            + queued
            + " queued jobs and this request adds "
            + adding
            + "; its quota is "
            + quota
            + " queued jobs (turbofarm.teams.max-queued."
            + team
            + "). Wait for queued work to finish, or cancel a batch");
  }
}
