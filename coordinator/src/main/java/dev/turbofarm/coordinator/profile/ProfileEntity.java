package dev.turbofarm.coordinator.profile;

import dev.turbofarm.common.profile.Profile;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of the profile table (seeded by migration, editable by admins in SQL). */
@Entity
@Table(name = "profile")
public class ProfileEntity {
  @Id public String name;
  public int width;
  public int height;
  public int steps;
  public double guidance;
  public String description;
  public int position;

  Profile toRecord() {
    return new Profile(name, width, height, steps, guidance, description);
  }
}
