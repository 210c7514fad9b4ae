package dev.turbofarm.coordinator.profile.persistence;

import dev.turbofarm.common.profile.Profile;
import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The {@code profile} table's SQL (seeded by migration, editable by admins in SQL). */
@ApplicationScoped
public class ProfileRepository {
  private final AgroalDataSource ds;

  ProfileRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Every profile, in the table's display order. */
  public List<Profile> all() {
    return DatabaseFailures.withConnection(
        ds,
        "read profiles",
        c -> {
          List<Profile> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT name, width, height, steps, guidance, description FROM profile"
                          + " ORDER BY position");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Profile(
                      rs.getString(1),
                      rs.getInt(2),
                      rs.getInt(3),
                      rs.getInt(4),
                      rs.getDouble(5),
                      rs.getString(6)));
            }
          }
          return out;
        });
  }
}
