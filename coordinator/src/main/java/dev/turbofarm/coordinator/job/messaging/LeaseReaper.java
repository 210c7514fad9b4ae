package dev.turbofarm.coordinator.job.messaging;

import dev.turbofarm.coordinator.config.FarmConfig;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Re-queues dispatched jobs whose lease ran out (their worker went silent, or the dispatch never
 * reached one), so no job stays DISPATCHED forever; a job out of attempts ends FAILED instead. Runs
 * on every replica: the guarded UPDATE makes concurrent reapers harmless.
 */
@ApplicationScoped
public class LeaseReaper {
  private static final Logger LOG = Logger.getLogger(LeaseReaper.class);

  private static final String REAP =
      "UPDATE job SET"
          + " state = CASE WHEN attempt >= ? THEN 'FAILED' ELSE 'QUEUED' END,"
          + " completed_at = CASE WHEN attempt >= ? THEN now() END,"
          + " reason = 'no result from worker ' || coalesce(worker_id, '(none took it)')"
          + "   || ' before its lease ran out (attempt ' || attempt || ' of ' || ? || ')',"
          + " lease_until = NULL"
          + " WHERE id IN (SELECT id FROM job WHERE state = 'DISPATCHED' AND lease_until < now()"
          + "   ORDER BY lease_until LIMIT 1000 FOR UPDATE SKIP LOCKED)"
          + " RETURNING id, state, attempt, worker_id";

  private final AgroalDataSource ds;
  private final FarmConfig config;
  private final Counter expired;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "turbofarm-lease-reaper");
            t.setDaemon(true);
            return t;
          });
  private long startedAtNs;

  LeaseReaper(AgroalDataSource ds, FarmConfig config, MeterRegistry metrics) {
    this.ds = ds;
    this.config = config;
    this.expired = metrics.counter("turbofarm.leases.expired");
  }

  void start(@Observes StartupEvent ev) {
    startedAtNs = System.nanoTime();
    long every = config.leases().reaperInterval().toMillis();
    timer.scheduleWithFixedDelay(this::reapSafely, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent ev) {
    timer.shutdownNow();
  }

  private void reapSafely() {
    if (System.nanoTime() - startedAtNs < config.leases().startupGrace().toNanos()) {
      return;
    }
    try {
      reap();
    } catch (Exception e) {
      LOG.warnf(
          "lease check failed (%s); retrying in %s",
          Dispatcher.rootCause(e), config.leases().reaperInterval());
    }
  }

  /** Re-queues or fails every job whose lease ran out; returns how many. */
  int reap() throws Exception {
    int n = 0;
    int max = config.jobs().maxAttempts();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(REAP)) {
      ps.setInt(1, max);
      ps.setInt(2, max);
      ps.setInt(3, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          n++;
          expired.increment();
          String worker = rs.getString("worker_id");
          if ("FAILED".equals(rs.getString("state"))) {
            LOG.errorf(
                "job %s FAILED: lease ran out on attempt %d of %d (worker %s silent); it is in the"
                    + " dead-letter list",
                rs.getObject("id"), rs.getInt("attempt"), max, worker);
          } else {
            LOG.warnf(
                "job %s re-queued: lease ran out on attempt %d (worker %s silent)",
                rs.getObject("id"),
                rs.getInt("attempt"),
                worker == null ? "(none took it)" : worker);
          }
        }
      }
    }
    return n;
  }
}
