package dev.turbofarm.coordinator.dispatch.persistence;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The {@code dispatch_pause} table's SQL: at most one row, an admin's farm-wide pause of dispatch
 * that every coordinator replica reads. Deleting it NOTIFYs the dispatchers (a trigger).
 */
@ApplicationScoped
public class DispatchPauseRepository {
  private final AgroalDataSource ds;

  DispatchPauseRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** The pause in force, if any. */
  public Optional<Pause> current() {
    return DatabaseFailures.withConnection(
        ds,
        "read the dispatch pause",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT paused_at, reason FROM dispatch_pause");
              ResultSet rs = ps.executeQuery()) {
            return rs.next()
                ? Optional.of(new Pause(rs.getObject(1, OffsetDateTime.class), rs.getString(2)))
                : Optional.empty();
          }
        });
  }

  /** A pause: since when, and why. */
  public record Pause(OffsetDateTime pausedAt, String reason) {}

  /** Pauses dispatch; an existing pause keeps its time and reason. */
  public void pause(String reason) {
    DatabaseFailures.withConnection(
        ds,
        "pause dispatch",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO dispatch_pause (reason) VALUES (?) ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, reason);
            return ps.executeUpdate();
          }
        });
  }

  public void resume() {
    DatabaseFailures.withConnection(
        ds,
        "resume dispatch",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM dispatch_pause")) {
            return ps.executeUpdate();
          }
        });
  }
}
