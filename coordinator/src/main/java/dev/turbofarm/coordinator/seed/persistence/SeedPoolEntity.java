package dev.turbofarm.coordinator.seed.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code seed_pool}: one team's offsets. Never leaves this package. */
@Entity
@Table(name = "seed_pool")
public class SeedPoolEntity {
  @Id String team;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "offsets", columnDefinition = "bigint[]")
  List<Long> offsets;

  @Column(name = "updated_at")
  OffsetDateTime updatedAt;

  @Column(name = "updated_by")
  String updatedBy;

  /** Sets the pool; within the entity, so that Hibernate's enhanced dirty tracking sees it. */
  void set(List<Long> offsets, String updatedBy, OffsetDateTime updatedAt) {
    this.offsets = List.copyOf(offsets);
    this.updatedBy = updatedBy;
    this.updatedAt = updatedAt;
  }
}
