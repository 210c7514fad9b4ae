package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.coordinator.http.PageCursor;
import dev.turbofarm.coordinator.job.persistence.JobListRepository;
import dev.turbofarm.coordinator.job.persistence.JobListRepository.JobQuery;
import dev.turbofarm.coordinator.job.persistence.JobRow;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Lists jobs newest first for the teams a caller may read, a page at a time. */
@ApplicationScoped
public class JobListing {
  private final JobListRepository repository;
  private final JobService jobs;

  JobListing(JobListRepository repository, JobService jobs) {
    this.repository = repository;
    this.jobs = jobs;
  }

  /**
   * What to list.
   *
   * @param scope the teams to list (already checked against the caller)
   * @param exceptTeams teams to leave out of that scope; empty for none
   * @param states job state names to keep; empty for all
   * @param batchId only this batch's jobs; null for any
   * @param from created at or after; null for no bound
   * @param to created before; null for no bound
   * @param after the previous page's cursor; null for the first page
   * @param limit jobs per page
   */
  public record Query(
      TeamScope scope,
      Set<String> exceptTeams,
      Set<String> states,
      UUID batchId,
      OffsetDateTime from,
      OffsetDateTime to,
      PageCursor after,
      int limit) {}

  /**
   * A page of jobs (without their images).
   *
   * @param next the cursor of the page after this one; null when this is the last
   */
  public record Page(List<Job> jobs, PageCursor next) {}

  /** A page of the jobs {@code q} selects that {@code caller} may read. */
  public Page list(Query q, Caller caller) {
    TeamScope scope = q.scope() == null ? TeamScope.readableBy(caller) : q.scope();
    // One more row than asked: whether there is a next page, without a count.
    List<JobRow> rows =
        repository.list(
            new JobQuery(
                scope.teams(),
                q.exceptTeams(),
                q.states(),
                q.batchId(),
                q.from(),
                q.to(),
                q.after(),
                q.limit() + 1));
    boolean more = rows.size() > q.limit();
    List<JobRow> page = more ? rows.subList(0, q.limit()) : rows;
    JobRow last = page.isEmpty() ? null : page.get(page.size() - 1);
    return new Page(
        page.stream()
            .filter(r -> caller.canRead(r.team()))
            .map(r -> jobs.of(r, List.of()))
            .toList(),
        more ? new PageCursor(last.createdAt(), last.id()) : null);
  }
}
