package dev.turbofarm.coordinator.image.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code team_retention} (V30): how long a team's images are kept. */
@Entity
@Table(name = "team_retention")
public class TeamRetentionEntity {
  @Id
  @Column(name = "team")
  public String team;

  /** Days an image is kept; null keeps it forever. */
  @Column(name = "days")
  public Integer days;

  /** Whether approved images are deleted too. */
  @Column(name = "delete_approved", nullable = false)
  public boolean deleteApproved;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}
