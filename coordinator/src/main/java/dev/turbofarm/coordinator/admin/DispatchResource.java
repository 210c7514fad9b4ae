package dev.turbofarm.coordinator.admin;

import io.agroal.api.AgroalDataSource;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;

/**
 * {@code /api/v1/admin/dispatch}: the queue at a glance, and pause/resume of dispatch for the whole
 * farm (maintenance, a bad model rollout). Paused, jobs are still accepted and wait QUEUED; workers
 * finish what they hold.
 */
@Path("/api/v1/admin/dispatch")
@Produces(MediaType.APPLICATION_JSON)
public class DispatchResource {
  private static final Logger LOG = Logger.getLogger(DispatchResource.class);

  private final AgroalDataSource ds;

  DispatchResource(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Dispatch state and queue depth. */
  public record DispatchState(
      boolean paused, OffsetDateTime pausedAt, String reason, long queued, long dispatched) {}

  /** Why dispatch is paused, for the next admin who looks. */
  public record PauseRequest(String reason) {}

  @GET
  public DispatchState state() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (SELECT paused_at FROM dispatch_pause), (SELECT reason FROM dispatch_pause),"
                    + " (SELECT count(*) FROM job WHERE state = 'QUEUED'),"
                    + " (SELECT count(*) FROM job WHERE state = 'DISPATCHED')");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      OffsetDateTime since = rs.getObject(1, OffsetDateTime.class);
      return new DispatchState(since != null, since, rs.getString(2), rs.getLong(3), rs.getLong(4));
    }
  }

  @POST
  @Path("/pause")
  @Consumes(MediaType.WILDCARD)
  public DispatchState pause(PauseRequest request) throws SQLException {
    String reason =
        request == null || request.reason() == null || request.reason().isBlank()
            ? "paused by an admin"
            : request.reason();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO dispatch_pause (reason) VALUES (?) ON CONFLICT (id) DO NOTHING")) {
      ps.setString(1, reason);
      ps.executeUpdate();
    }
    LOG.warnf("dispatch PAUSED (%s): jobs are accepted and wait QUEUED until resumed", reason);
    return state();
  }

  @POST
  @Path("/resume")
  @Consumes(MediaType.WILDCARD)
  public DispatchState resume() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM dispatch_pause")) {
      ps.executeUpdate();
    }
    LOG.info("dispatch resumed");
    return state();
  }
}
