package dev.turbofarm.coordinator.deadletter.persistence;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The {@code dead_record} table's SQL: dead-lettered records, stored once each, newest first. */
@ApplicationScoped
public class DeadRecordRepository {
  private static final String INSERT =
      "INSERT INTO dead_record (source_topic, source_partition, source_offset, consumer_group,"
          + " dlq_topic, dlq_partition, dlq_offset, record_key, reason, value_size, value_head)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (dlq_topic, dlq_partition, dlq_offset) DO NOTHING";

  private static final String RECENT =
      "SELECT id, source_topic, source_partition, source_offset, consumer_group, dlq_topic,"
          + " dlq_partition, dlq_offset, record_key, reason, value_size, value_head,"
          + " dead_lettered_at FROM dead_record WHERE (?::text IS NULL OR source_topic = ?)"
          + " ORDER BY dead_lettered_at DESC, id DESC LIMIT ?";

  private final AgroalDataSource ds;

  DeadRecordRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Stores each dead letter not stored yet; returns how many were new. */
  public int insertAll(Collection<DeadRecordRow> rows) {
    if (rows.isEmpty()) {
      return 0;
    }
    return DatabaseFailures.withConnection(
        ds,
        "record " + rows.size() + " dead letters",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (DeadRecordRow r : rows) {
              int i = 1;
              ps.setString(i++, r.sourceTopic());
              ps.setObject(i++, r.sourcePartition(), Types.INTEGER);
              ps.setObject(i++, r.sourceOffset(), Types.BIGINT);
              ps.setString(i++, r.consumerGroup());
              ps.setString(i++, r.dlqTopic());
              ps.setInt(i++, r.dlqPartition());
              ps.setLong(i++, r.dlqOffset());
              ps.setString(i++, r.key());
              ps.setString(i++, r.reason());
              ps.setInt(i++, r.valueSize());
              ps.setBytes(i, r.valueHead());
              ps.addBatch();
            }
            int n = 0;
            for (int u : ps.executeBatch()) {
              n += u > 0 ? 1 : 0;
            }
            return n;
          }
        });
  }

  /**
   * The most recent dead letters first.
   *
   * @param sourceTopic only those of this topic; all when null
   */
  public List<DeadRecordRow> recent(String sourceTopic, int limit) {
    return DatabaseFailures.withConnection(
        ds,
        "list dead-lettered records",
        c -> {
          List<DeadRecordRow> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(RECENT)) {
            ps.setString(1, sourceTopic);
            ps.setString(2, sourceTopic);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new DeadRecordRow(
                        rs.getLong("id"),
                        rs.getString("source_topic"),
                        rs.getObject("source_partition", Integer.class),
                        rs.getObject("source_offset", Long.class),
                        rs.getString("consumer_group"),
                        rs.getString("dlq_topic"),
                        rs.getInt("dlq_partition"),
                        rs.getLong("dlq_offset"),
                        rs.getString("record_key"),
                        rs.getString("reason"),
                        rs.getInt("value_size"),
                        rs.getBytes("value_head"),
                        rs.getObject("dead_lettered_at", OffsetDateTime.class)));
              }
            }
          }
          return out;
        });
  }
}
