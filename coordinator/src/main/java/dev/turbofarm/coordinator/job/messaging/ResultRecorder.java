package dev.turbofarm.coordinator.job.messaging;

import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Records workers' results in PostgreSQL, idempotently: one image row per (job, index) by primary
 * key, so a redelivered or duplicated result changes nothing; a job turns SUCCEEDED when all its
 * images are in, and a terminal job never changes again. A failed image is fenced by attempt: only
 * the job's live attempt may re-queue it (retriable, attempts left) or fail it, so a late failure
 * from a stale attempt never overwrites a newer outcome.
 */
@ApplicationScoped
public class ResultRecorder {
  private static final Logger LOG = Logger.getLogger(ResultRecorder.class);

  private static final String INSERT_IMAGE =
      "INSERT INTO image (job_id, idx, path, seed, width, height, steps, guidance, model_id,"
          + " worker_id, batch_size, queue_wait_ms, render_ms, quality, sharpness, attempt,"
          + " fallback_profile, finished_at)"
          + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
          + " WHERE EXISTS (SELECT 1 FROM job WHERE id = ? AND state <> 'FAILED')"
          + " ON CONFLICT (job_id, idx) DO NOTHING";

  private static final String COMPLETE =
      // clock_timestamp(): when the row was updated, after any wait for the dispatcher's commit
      "UPDATE job SET state = 'SUCCEEDED', completed_at = clock_timestamp(), reason = NULL,"
          + " lease_until = NULL"
          + " WHERE id = ? AND state IN ('QUEUED', 'DISPATCHED')"
          + " AND image_count = (SELECT count(*) FROM image WHERE job_id = ?)";

  /**
   * Re-queue (retriable, attempts left) or fail; only the live attempt may. A fast worker can
   * report before the dispatcher's transaction that sent the attempt has committed: then the row
   * still reads QUEUED at the attempt before, locked by the dispatcher, and this update waits for
   * that commit and re-checks the row as DISPATCHED at this attempt.
   */
  private static final String FAIL =
      "UPDATE job SET state = CASE WHEN ? AND attempt < ? THEN 'QUEUED' ELSE 'FAILED' END,"
          + " completed_at = CASE WHEN ? AND attempt < ? THEN NULL ELSE now() END,"
          + " reason = ?, lease_until = NULL"
          + " WHERE id = ? AND ((state = 'DISPATCHED' AND attempt = ?)"
          + " OR (state = 'QUEUED' AND attempt = ? - 1))"
          + " RETURNING state";

  private final AgroalDataSource ds;
  private final KafkaClients kafka;
  private final FarmConfig config;
  private final Counter recorded;
  private final Counter duplicates;
  private final Counter failed;
  private final Counter retried;
  private final Counter stale;
  private ConsumerLoop loop;

  ResultRecorder(
      AgroalDataSource ds, KafkaClients kafka, FarmConfig config, MeterRegistry metrics) {
    this.ds = ds;
    this.kafka = kafka;
    this.config = config;
    this.recorded = metrics.counter("turbofarm.images.recorded");
    this.duplicates = metrics.counter("turbofarm.results.duplicates");
    this.failed = metrics.counter("turbofarm.jobs.failed");
    this.retried = metrics.counter("turbofarm.jobs.retried");
    this.stale = metrics.counter("turbofarm.results.stale");
  }

  void start(@Observes StartupEvent ev) {
    loop =
        new ConsumerLoop(
            "turbofarm-results",
            Topics.RESULTS,
            () -> kafka.consumer(Topics.COORDINATOR_RESULTS_GROUP, "coordinator-results"),
            this::record,
            config.dispatcher().retryBackoff());
    loop.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    if (loop != null) {
      loop.close();
    }
  }

  /** Records one poll's results in one transaction. */
  void record(List<ConsumerRecord<String, byte[]>> records) throws SQLException {
    List<ResultMessage> ok = new ArrayList<>();
    Map<UUID, ResultMessage> failures = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      try {
        ResultMessage m = Json.read(r.value(), ResultMessage.class);
        if (m.status() == ResultMessage.Status.SUCCEEDED) {
          ok.add(m);
        } else {
          failures.putIfAbsent(m.jobId(), m);
        }
      } catch (Json.MalformedMessageException e) {
        // Poison on the results topic: skipping it is all we can do; say where it is.
        LOG.errorf(
            "skipping malformed result at %s-%d offset %d: %s",
            r.topic(), r.partition(), r.offset(), e.getMessage());
      }
    }
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        Set<UUID> touched = new LinkedHashSet<>();
        if (!ok.isEmpty()) {
          try (PreparedStatement ps = c.prepareStatement(INSERT_IMAGE)) {
            for (ResultMessage m : ok) {
              bindImage(ps, m);
              ps.addBatch();
              touched.add(m.jobId());
            }
            int[] counts = ps.executeBatch();
            int inserted = 0;
            for (int n : counts) {
              inserted += n > 0 ? 1 : 0;
            }
            recorded.increment(inserted);
            duplicates.increment(counts.length - inserted);
          }
        }
        if (!failures.isEmpty()) {
          int maxAttempts = config.jobs().maxAttempts();
          try (PreparedStatement ps = c.prepareStatement(FAIL)) {
            for (ResultMessage m : failures.values()) {
              ps.setBoolean(1, m.retriable());
              ps.setInt(2, maxAttempts);
              ps.setBoolean(3, m.retriable());
              ps.setInt(4, maxAttempts);
              ps.setString(5, m.reason() + " (attempt " + m.attempt() + " of " + maxAttempts + ")");
              ps.setObject(6, m.jobId());
              ps.setInt(7, m.attempt());
              ps.setInt(8, m.attempt());
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  stale.increment();
                  LOG.debugf(
                      "ignoring failure of job %s attempt %d: not its live attempt",
                      m.jobId(), m.attempt());
                } else if ("QUEUED".equals(rs.getString(1))) {
                  retried.increment();
                  LOG.warnf(
                      "job %s failed on worker %s (attempt %d of %d), re-queued: %s",
                      m.jobId(), m.workerId(), m.attempt(), maxAttempts, m.reason());
                } else {
                  failed.increment();
                  LOG.errorf(
                      "job %s FAILED for good on worker %s (attempt %d of %d, %s): %s. It is in"
                          + " the dead-letter list: GET /api/v1/admin/dead-letters; replay with"
                          + " POST /api/v1/admin/dead-letters/%s/replay",
                      m.jobId(),
                      m.workerId(),
                      m.attempt(),
                      maxAttempts,
                      m.retriable() ? "attempts used up" : "not retriable",
                      m.reason(),
                      m.jobId());
                }
              }
            }
          }
        }
        if (!touched.isEmpty()) {
          try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
            for (UUID id : touched) {
              ps.setObject(1, id);
              ps.setObject(2, id);
              ps.addBatch();
            }
            ps.executeBatch();
          }
        }
        c.commit();
        if (LOG.isDebugEnabled() && !ok.isEmpty()) {
          long now = System.currentTimeMillis();
          LOG.debugf(
              "recorded %d results; newest published %d ms ago",
              ok.size(), now - ok.get(ok.size() - 1).finishedAtMs());
        }
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static void bindImage(PreparedStatement ps, ResultMessage m) throws SQLException {
    int i = 1;
    ps.setObject(i++, m.jobId());
    ps.setInt(i++, m.index());
    ps.setString(i++, m.path());
    ps.setLong(i++, m.seed());
    ps.setInt(i++, m.width());
    ps.setInt(i++, m.height());
    ps.setInt(i++, m.steps());
    ps.setDouble(i++, m.guidance());
    ps.setString(i++, m.modelId());
    ps.setString(i++, m.workerId());
    ps.setInt(i++, m.batchSize());
    ps.setLong(i++, m.queueWaitMs());
    ps.setLong(i++, m.renderMs());
    setNullable(ps, i++, m.quality());
    setNullable(ps, i++, m.sharpness());
    ps.setInt(i++, m.attempt());
    ps.setString(i++, m.fallbackProfile());
    ps.setObject(
        i++,
        m.finishedAtMs() > 0
            ? java.time.OffsetDateTime.ofInstant(
                java.time.Instant.ofEpochMilli(m.finishedAtMs()), java.time.ZoneOffset.UTC)
            : null,
        Types.TIMESTAMP_WITH_TIMEZONE);
    ps.setObject(i, m.jobId());
  }

  private static void setNullable(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null || v.isNaN()) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }
}
