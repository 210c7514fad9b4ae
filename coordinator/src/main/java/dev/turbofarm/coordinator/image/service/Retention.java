package dev.turbofarm.coordinator.image.service;

import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.image.persistence.TeamRetentionRepository;
import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;

/** Each team's retention policy: how many days its images are kept (default: forever). */
@ApplicationScoped
public class Retention {
  /** Longest retention one can set, days: ten years; "forever" is no days at all. */
  static final int MAX_DAYS = 3650;

  private final TeamRetentionRepository policies;

  private final Audit audit;

  Retention(TeamRetentionRepository policies, Audit audit) {
    this.policies = policies;
    this.audit = audit;
  }

  /**
   * A team's retention.
   *
   * @param days days its images are kept; null: forever
   * @param deleteApproved whether approved images are deleted too
   * @param updatedAt when it was last set; null when never
   */
  public record Policy(
      String team, Integer days, boolean deleteApproved, OffsetDateTime updatedAt) {}

  /** The team's policy; a team never set keeps its images forever. */
  public Policy of(String team) {
    return policies.find(team).map(Retention::policy).orElse(new Policy(team, null, false, null));
  }

  private static Policy policy(TeamRetentionRepository.Policy p) {
    return new Policy(p.team(), p.days(), p.deleteApproved(), p.updatedAt());
  }

  /**
   * Sets the team's policy.
   *
   * @param days 1..3650, or null to keep images forever
   * @param deleteApproved whether approved images are deleted too (default no)
   * @throws InvalidInputProblem naming {@code days} out of range or a blank team
   */
  @Transactional
  public Policy set(String team, Integer days, boolean deleteApproved, Caller caller) {
    if (!JobRules.isTeamName(team)) {
      throw InvalidInputProblem.of("team", "is not a valid team name");
    }
    if (days != null && (days < 1 || days > MAX_DAYS)) {
      throw InvalidInputProblem.of(
          "days", "is " + days + "; must be 1.." + MAX_DAYS + ", or null to keep images forever");
    }
    Policy saved = policy(policies.save(team, days, deleteApproved));
    audit.record(
        caller,
        "retention.set",
        "team:" + team,
        (days == null ? "forever" : days + " days") + ", deleteApproved=" + deleteApproved);
    return saved;
  }
}
