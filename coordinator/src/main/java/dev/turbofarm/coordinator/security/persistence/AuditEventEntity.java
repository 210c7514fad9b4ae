package dev.turbofarm.coordinator.security.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code audit_event} (V20). Never leaves this package. */
@Entity
@Table(name = "audit_event")
class AuditEventEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false, insertable = false, updatable = false)
  OffsetDateTime at;

  @Column(name = "actor_id", nullable = false, updatable = false)
  String actorId;

  @Column(name = "actor_name", nullable = false, updatable = false)
  String actorName;

  @Column(name = "actor_role", nullable = false, updatable = false)
  String actorRole;

  @Column(name = "actor_team", nullable = false, updatable = false)
  String actorTeam;

  @Column(nullable = false, updatable = false)
  String action;

  @Column(updatable = false)
  String target;

  @Column(updatable = false)
  String detail;
}
