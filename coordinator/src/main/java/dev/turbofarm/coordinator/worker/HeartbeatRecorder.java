package dev.turbofarm.coordinator.worker;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Keeps the worker registry (table {@code worker}) from heartbeats, the newest one winning, and
 * extends the lease of every job a heartbeat says its worker holds.
 */
@ApplicationScoped
public class HeartbeatRecorder {
  private static final Logger LOG = Logger.getLogger(HeartbeatRecorder.class);

  private static final String UPSERT =
      "INSERT INTO worker (id, host, state, model_id, max_batch_size, current_batch,"
          + " jobs_in_flight, images_rendered, images_per_second, heap_used_bytes, rss_bytes,"
          + " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, state = EXCLUDED.state,"
          + " model_id = EXCLUDED.model_id, max_batch_size = EXCLUDED.max_batch_size,"
          + " current_batch = EXCLUDED.current_batch, jobs_in_flight = EXCLUDED.jobs_in_flight,"
          + " images_rendered = EXCLUDED.images_rendered,"
          + " images_per_second = EXCLUDED.images_per_second,"
          + " heap_used_bytes = EXCLUDED.heap_used_bytes, rss_bytes = EXCLUDED.rss_bytes,"
          + " last_seen = EXCLUDED.last_seen WHERE worker.last_seen <= EXCLUDED.last_seen";

  /**
   * The first heartbeat naming a dispatched job replaces its dispatch lease (long: time to reach a
   * worker) with the short worker lease; later ones only extend it.
   */
  private static final String EXTEND =
      "UPDATE job SET lease_until = CASE WHEN worker_id IS NULL THEN x.until"
          + " ELSE greatest(lease_until, x.until) END, worker_id = x.worker"
          + " FROM (SELECT ?::timestamptz + ?::bigint * interval '1 millisecond' AS until,"
          + " ?::text AS worker) x"
          + " WHERE id = ANY (?) AND state = 'DISPATCHED'";

  private final AgroalDataSource ds;
  private final KafkaClients kafka;
  private final FarmConfig config;
  private ConsumerLoop loop;

  HeartbeatRecorder(AgroalDataSource ds, KafkaClients kafka, FarmConfig config) {
    this.ds = ds;
    this.kafka = kafka;
    this.config = config;
  }

  void start(@Observes StartupEvent ev) {
    loop =
        new ConsumerLoop(
            "turbofarm-heartbeats",
            Topics.HEARTBEATS,
            () -> kafka.consumer("turbofarm-coordinator-heartbeats", "coordinator-heartbeats"),
            this::record,
            config.dispatcher().retryBackoff());
    loop.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    if (loop != null) {
      loop.close();
    }
  }

  void record(List<ConsumerRecord<String, byte[]>> records) throws SQLException {
    // Only each worker's newest heartbeat of this poll matters.
    Map<String, Heartbeat> latest = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      try {
        Heartbeat h = Json.read(r.value(), Heartbeat.class);
        latest.merge(h.workerId(), h, (a, b) -> a.sentAtMs() >= b.sentAtMs() ? a : b);
      } catch (Json.MalformedMessageException e) {
        LOG.warnf("skipping malformed heartbeat at offset %d: %s", r.offset(), e.getMessage());
      }
    }
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(UPSERT);
        PreparedStatement lease = c.prepareStatement(EXTEND)) {
      long workerLeaseMs = config.leases().workerLease().toMillis();
      for (Heartbeat h : latest.values()) {
        int i = 1;
        ps.setString(i++, h.workerId());
        ps.setString(i++, h.host());
        ps.setString(i++, h.state().name());
        ps.setString(i++, h.modelId());
        ps.setInt(i++, h.maxBatchSize());
        ps.setInt(i++, h.currentBatch());
        ps.setInt(i++, h.jobsInFlight().size());
        ps.setLong(i++, h.imagesRendered());
        ps.setDouble(i++, h.imagesPerSecond());
        ps.setLong(i++, h.heapUsedBytes());
        ps.setLong(i++, h.rssBytes());
        ps.setTimestamp(i, new Timestamp(h.sentAtMs()));
        ps.addBatch();
        if (!h.jobsInFlight().isEmpty()) {
          lease.setTimestamp(1, new Timestamp(h.sentAtMs()));
          lease.setLong(2, workerLeaseMs);
          lease.setString(3, h.workerId());
          lease.setArray(4, c.createArrayOf("uuid", h.jobsInFlight().toArray()));
          lease.addBatch();
        }
      }
      ps.executeBatch();
      lease.executeBatch();
    }
  }
}
