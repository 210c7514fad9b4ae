package dev.turbofarm.coordinator.webhook.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code team_webhook_secret} (V26). Never leaves this package. */
@Entity
@Table(name = "team_webhook_secret")
class WebhookSecretEntity {
  @Id String team;

  @Column(nullable = false)
  String secret;

  @Column(name = "created_at", nullable = false, updatable = false, insertable = false)
  OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  OffsetDateTime updatedAt;
}
