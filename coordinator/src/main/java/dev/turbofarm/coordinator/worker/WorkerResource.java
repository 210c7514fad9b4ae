package dev.turbofarm.coordinator.worker;

import io.agroal.api.AgroalDataSource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/v1/admin/workers}: every worker seen, newest heartbeat first. */
@Path("/api/v1/admin/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkerResource {
  private final AgroalDataSource ds;

  WorkerResource(AgroalDataSource ds) {
    this.ds = ds;
  }

  @GET
  public List<WorkerView> list() throws SQLException {
    List<WorkerView> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT * FROM worker ORDER BY last_seen DESC");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new WorkerView(
                rs.getString("id"),
                rs.getString("host"),
                rs.getString("state"),
                rs.getString("model_id"),
                rs.getInt("max_batch_size"),
                rs.getInt("current_batch"),
                rs.getInt("jobs_in_flight"),
                rs.getLong("images_rendered"),
                rs.getDouble("images_per_second"),
                rs.getLong("heap_used_bytes"),
                rs.getLong("rss_bytes"),
                rs.getObject("first_seen", OffsetDateTime.class),
                rs.getObject("last_seen", OffsetDateTime.class)));
      }
    }
    return out;
  }
}
