package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.coordinator.batch.persistence.BatchListRepository;
import dev.turbofarm.coordinator.batch.persistence.BatchListRepository.BatchListRow;
import dev.turbofarm.coordinator.batch.persistence.BatchListRepository.BatchQuery;
import dev.turbofarm.coordinator.http.PageCursor;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/** Lists batches newest first for the teams a caller may read, a page at a time. */
@ApplicationScoped
public class BatchListing {
  /** The states a batch list filters by. */
  public static final Set<String> STATES = Set.of("RUNNING", "COMPLETED", "CANCELLED");

  private final BatchListRepository repository;

  BatchListing(BatchListRepository repository) {
    this.repository = repository;
  }

  /**
   * What to list.
   *
   * @param scope the teams to list (already checked against the caller); null for its readable
   *     teams
   */
  public record Query(
      TeamScope scope,
      Set<String> states,
      OffsetDateTime from,
      OffsetDateTime to,
      PageCursor after,
      int limit) {}

  /** A batch in a list: its stamps and counts, not its live progress. */
  public record Summary(
      java.util.UUID id,
      String team,
      String name,
      String state,
      int jobCount,
      long imageCount,
      int rejectedCount,
      OffsetDateTime createdAt,
      OffsetDateTime completedAt,
      OffsetDateTime cancelledAt) {}

  /**
   * A page of batches.
   *
   * @param next the cursor of the page after this one; null when this is the last
   */
  public record Page(List<Summary> batches, PageCursor next) {}

  /** A page of the batches {@code q} selects that {@code caller} may read. */
  public Page list(Query q, Caller caller) {
    TeamScope scope = q.scope() == null ? TeamScope.readableBy(caller) : q.scope();
    List<BatchListRow> rows =
        repository.list(
            new BatchQuery(scope.teams(), q.states(), q.from(), q.to(), q.after(), q.limit() + 1));
    boolean more = rows.size() > q.limit();
    List<BatchListRow> page = more ? rows.subList(0, q.limit()) : rows;
    BatchListRow last = page.isEmpty() ? null : page.get(page.size() - 1);
    return new Page(
        page.stream()
            .filter(r -> caller.canRead(r.team()))
            .map(
                r ->
                    new Summary(
                        r.id(),
                        r.team(),
                        r.name(),
                        r.state(),
                        r.jobCount(),
                        r.imageCount(),
                        r.rejectedCount(),
                        r.createdAt(),
                        r.completedAt(),
                        r.cancelledAt()))
            .toList(),
        more ? new PageCursor(last.createdAt(), last.id()) : null);
  }
}
