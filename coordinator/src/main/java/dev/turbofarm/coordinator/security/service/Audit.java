package dev.turbofarm.coordinator.security.service;

import dev.turbofarm.coordinator.security.persistence.AuditRepository;
import dev.turbofarm.coordinator.security.persistence.AuditRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The audit trail: who (key id and name, role, team) did what to which target, when. Reviews,
 * cancellations and every admin action that changes something record here. Inside a service's
 * transaction the event commits or rolls back with the action itself.
 */
@ApplicationScoped
public class Audit {
  /** Longest stored detail, characters: a detail names things, it does not copy bodies. */
  static final int MAX_DETAIL_CHARS = 2000;

  private final AuditRepository events;

  Audit(AuditRepository events) {
    this.events = events;
  }

  /** One recorded event. */
  public record Event(
      long id,
      OffsetDateTime at,
      String actorId,
      String actorName,
      String actorRole,
      String actorTeam,
      String action,
      String target,
      String detail) {}

  /**
   * What to list.
   *
   * @param before events with an id below this (the previous page's {@code next}); null: newest
   * @param actor a key id or {@code oidc:<subject>}; null: anyone
   * @param action e.g. {@code batch.cancel}; null: any
   * @param target e.g. {@code batch:<id>}; null: any
   * @param since events at or after this; null: any
   * @param until events before this; null: any
   * @param limit most events in the page
   */
  public record Query(
      Long before,
      String actor,
      String action,
      String target,
      OffsetDateTime since,
      OffsetDateTime until,
      int limit) {}

  /**
   * Records an event in the caller's transaction, or its own when there is none.
   *
   * @param action what was done, {@code <thing>.<verb>}: {@code batch.cancel}, {@code
   *     dispatch.pause}, {@code key.create}...
   * @param target what it was done to, {@code <kind>:<id>}; null when the farm itself
   * @param detail a short note (a reason, the key's name); null when none
   */
  @Transactional
  public void record(Caller caller, String action, String target, String detail) {
    events.insert(
        caller.id(),
        caller.name(),
        caller.role(),
        caller.team(),
        action,
        target,
        detail == null || detail.length() <= MAX_DETAIL_CHARS
            ? detail
            : detail.substring(0, MAX_DETAIL_CHARS));
  }

  /** A page of events, newest first. */
  @Transactional
  public List<Event> list(Query q) {
    return events
        .page(q.before(), q.actor(), q.action(), q.target(), q.since(), q.until(), q.limit())
        .stream()
        .map(Audit::event)
        .toList();
  }

  private static Event event(AuditRow r) {
    return new Event(
        r.id(),
        r.at(),
        r.actorId(),
        r.actorName(),
        r.actorRole(),
        r.actorTeam(),
        r.action(),
        r.target(),
        r.detail());
  }
}
