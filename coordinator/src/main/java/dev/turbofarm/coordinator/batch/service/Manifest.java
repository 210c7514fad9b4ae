package dev.turbofarm.coordinator.batch.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A batch's manifest: one line per image the batch asked for, rendered or not, in catalogue order,
 * streamed from a server-side cursor so a 100k-row batch never sits in memory.
 */
@ApplicationScoped
public class Manifest {
  /** Columns, in order; the JSON Lines keys are the same names. */
  public static final String[] COLUMNS = {
    "sku", "job_id", "image_index", "path", "seed", "profile", "size", "quality", "state", "reason"
  };

  /** Rows fetched per round trip from the cursor. */
  private static final int FETCH_ROWS = 2_000;

  private static final String QUERY =
      "SELECT j.sku, j.id, s.idx - 1 AS image_index, i.path, coalesce(i.seed, s.seed) AS seed,"
          + " j.profile, coalesce(i.width, j.width) || 'x' || coalesce(i.height, j.height) AS size,"
          + " i.quality, CASE WHEN j.state = 'SUCCEEDED' AND i.path IS NULL THEN 'FAILED'"
          + " ELSE j.state END AS state, j.reason"
          + " FROM job j CROSS JOIN LATERAL unnest(j.seeds) WITH ORDINALITY AS s(seed, idx)"
          + " LEFT JOIN image i ON i.job_id = j.id AND i.idx = s.idx - 1"
          + " WHERE j.batch_id = ? ORDER BY j.created_at, j.id, s.idx";

  private final AgroalDataSource ds;
  private final BatchService batches;
  private final ObjectMapper json;

  Manifest(AgroalDataSource ds, BatchService batches, ObjectMapper json) {
    this.ds = ds;
    this.batches = batches;
    this.json = json;
  }

  /** Fails with {@link BatchNotFoundException} before any byte is written. */
  public void requireBatch(UUID id) throws SQLException {
    batches.progress(id);
  }

  /** Writes the manifest as CSV (with a header) or as JSON Lines. */
  public void write(UUID id, boolean csv, OutputStream out) throws SQLException, IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    try (Connection c = ds.getConnection()) {
      // A cursor needs a transaction; it only reads.
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(QUERY)) {
        ps.setFetchSize(FETCH_ROWS);
        ps.setObject(1, id);
        if (csv) {
          w.write(String.join(",", COLUMNS));
          w.write('\n');
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (csv) {
              csvLine(w, rs);
            } else {
              jsonLine(w, rs);
            }
          }
        }
      } finally {
        c.rollback();
      }
    }
    w.flush();
  }

  private static void csvLine(Writer w, ResultSet rs) throws SQLException, IOException {
    w.write(csv(rs.getString(1)));
    w.write(',');
    w.write(rs.getObject(2, UUID.class).toString());
    w.write(',');
    w.write(Integer.toString(rs.getInt(3)));
    w.write(',');
    w.write(csv(rs.getString(4)));
    w.write(',');
    w.write(Long.toString(rs.getLong(5)));
    w.write(',');
    w.write(csv(rs.getString(6)));
    w.write(',');
    w.write(rs.getString(7));
    w.write(',');
    double q = rs.getDouble(8);
    if (!rs.wasNull()) {
      w.write(Double.toString(q));
    }
    w.write(',');
    w.write(rs.getString(9));
    w.write(',');
    w.write(csv(rs.getString(10)));
    w.write('\n');
  }

  private void jsonLine(Writer w, ResultSet rs) throws SQLException, IOException {
    try (JsonGenerator g = json.getFactory().createGenerator(w)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("sku", rs.getString(1));
      g.writeStringField("job_id", rs.getObject(2, UUID.class).toString());
      g.writeNumberField("image_index", rs.getInt(3));
      g.writeStringField("path", rs.getString(4));
      g.writeNumberField("seed", rs.getLong(5));
      g.writeStringField("profile", rs.getString(6));
      g.writeStringField("size", rs.getString(7));
      double q = rs.getDouble(8);
      if (rs.wasNull()) {
        g.writeNullField("quality");
      } else {
        g.writeNumberField("quality", q);
      }
      g.writeStringField("state", rs.getString(9));
      g.writeStringField("reason", rs.getString(10));
      g.writeEndObject();
    }
    w.write('\n');
  }

  /** RFC 4180 quoting: only when the value needs it; null is an empty field. */
  static String csv(String v) {
    if (v == null) {
      return "";
    }
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }
}
