package dev.turbofarm.coordinator.profile.persistence;

import dev.turbofarm.common.profile.Profile;
import dev.turbofarm.common.profile.StepProfile;
import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code profile} and {@code step_profile} tables' SQL (seeded by migrations, editable by
 * admins in SQL). A size profile's steps are its default step profile's.
 */
@ApplicationScoped
public class ProfileRepository {
  private final AgroalDataSource ds;

  ProfileRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Every size profile with its default step profile's steps, in the table's display order. */
  public List<Profile> all() {
    return DatabaseFailures.withConnection(
        ds,
        "read profiles",
        c -> {
          List<Profile> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT p.name, p.width, p.height, s.steps, p.guidance, p.description,"
                          + " p.step_profile FROM profile p"
                          + " JOIN step_profile s ON s.name = p.step_profile ORDER BY p.position");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Profile(
                      rs.getString(1),
                      rs.getInt(2),
                      rs.getInt(3),
                      rs.getInt(4),
                      rs.getDouble(5),
                      rs.getString(6),
                      rs.getString(7)));
            }
          }
          return out;
        });
  }

  /** Every step profile, in display order. */
  public List<StepProfile> steps() {
    return DatabaseFailures.withConnection(
        ds,
        "read step profiles",
        c -> {
          List<StepProfile> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT name, steps, description FROM step_profile ORDER BY position, name");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(new StepProfile(rs.getString(1), rs.getInt(2), rs.getString(3)));
            }
          }
          return out;
        });
  }
}
