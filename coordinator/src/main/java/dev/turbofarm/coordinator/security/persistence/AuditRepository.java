package dev.turbofarm.coordinator.security.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The {@code audit_event} table, through Hibernate ORM; append and page, never update. */
@ApplicationScoped
public class AuditRepository {
  private final EntityManager em;

  AuditRepository(EntityManager em) {
    this.em = em;
  }

  public void insert(
      String actorId,
      String actorName,
      String actorRole,
      String actorTeam,
      String action,
      String target,
      String detail) {
    AuditEventEntity e = new AuditEventEntity();
    e.actorId = actorId;
    e.actorName = actorName;
    e.actorRole = actorRole;
    e.actorTeam = actorTeam;
    e.action = action;
    e.target = target;
    e.detail = detail;
    em.persist(e);
  }

  /**
   * Events newest first, keyset-paged: those with an id below {@code beforeId} (all when null),
   * matching every filter given (null: any).
   */
  public List<AuditRow> page(
      Long beforeId,
      String actorId,
      String action,
      String target,
      OffsetDateTime since,
      OffsetDateTime until,
      int limit) {
    List<String> where = new ArrayList<>();
    if (beforeId != null) {
      where.add("e.id < :before");
    }
    if (actorId != null) {
      where.add("e.actorId = :actor");
    }
    if (action != null) {
      where.add("e.action = :action");
    }
    if (target != null) {
      where.add("e.target = :target");
    }
    if (since != null) {
      where.add("e.at >= :since");
    }
    if (until != null) {
      where.add("e.at < :until");
    }
    String jpql =
        "SELECT e FROM AuditEventEntity e"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY e.id DESC";
    TypedQuery<AuditEventEntity> q =
        em.createQuery(jpql, AuditEventEntity.class).setMaxResults(limit);
    if (beforeId != null) {
      q.setParameter("before", beforeId);
    }
    if (actorId != null) {
      q.setParameter("actor", actorId);
    }
    if (action != null) {
      q.setParameter("action", action);
    }
    if (target != null) {
      q.setParameter("target", target);
    }
    if (since != null) {
      q.setParameter("since", since);
    }
    if (until != null) {
      q.setParameter("until", until);
    }
    return q.getResultStream().map(AuditRow::of).toList();
  }
}
