package dev.turbofarm.coordinator.security.persistence;

import java.time.OffsetDateTime;

/** One audit event as stored. */
public record AuditRow(
    long id,
    OffsetDateTime at,
    String actorId,
    String actorName,
    String actorRole,
    String actorTeam,
    String action,
    String target,
    String detail) {

  static AuditRow of(AuditEventEntity e) {
    return new AuditRow(
        e.id, e.at, e.actorId, e.actorName, e.actorRole, e.actorTeam, e.action, e.target, e.detail);
  }
}
