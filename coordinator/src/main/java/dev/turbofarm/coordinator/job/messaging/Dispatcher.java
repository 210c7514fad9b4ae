package dev.turbofarm.coordinator.job.messaging;

import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import dev.turbofarm.coordinator.kafka.TopicSetup;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Moves QUEUED jobs from PostgreSQL to Kafka. The job table is the outbox: rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED} (so replicas never send the same row twice at once), sent and
 * acknowledged by the broker, and only then marked DISPATCHED in the same transaction. A crash in
 * between re-sends the job (at least once; results are idempotent), never loses it. The thread
 * sleeps on {@code LISTEN job_queued} and wakes on each insert's NOTIFY.
 */
@ApplicationScoped
public class Dispatcher {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class);

  private static final String CLAIM =
      "SELECT id, team, prompt, negative_prompt, profile, width, height, steps, guidance, seeds,"
          + " attempt, created_at, fallback_profile, fallback_width, fallback_height, fallback_steps"
          + " FROM job WHERE id = ANY (?)"
          + " ORDER BY priority DESC, created_at";

  private static final String MARK =
      // clock_timestamp(), not now(): the moment the broker had acknowledged, not the claim's start
      "UPDATE job SET state = 'DISPATCHED', attempt = attempt + 1, dispatched_at = clock_timestamp(),"
          + " lease_until = now() + ? * interval '1 millisecond', worker_id = NULL"
          + " WHERE id = ANY (?)";

  /** An admin paused dispatch (see DispatchResource): send nothing. */
  private static final String PAUSED = "SELECT 1 FROM dispatch_pause";

  /** How long one dispatch waits for the broker's acknowledgement before rolling back, s. */
  private static final long SEND_TIMEOUT_S = 30;

  private final AgroalDataSource ds;
  private final KafkaClients kafka;
  private final FarmConfig config;
  private final FairShare fairShare;
  private final Counter dispatched;
  private volatile boolean running;
  private volatile boolean kafkaReady;
  private Thread thread;

  Dispatcher(
      AgroalDataSource ds,
      KafkaClients kafka,
      FarmConfig config,
      FairShare fairShare,
      MeterRegistry metrics) {
    this.ds = ds;
    this.kafka = kafka;
    this.config = config;
    this.fairShare = fairShare;
    this.dispatched = metrics.counter("turbofarm.jobs.dispatched");
  }

  void start(@Observes StartupEvent ev) {
    if (!config.dispatcher().enabled()) {
      LOG.info("dispatcher disabled on this replica (turbofarm.dispatcher.enabled=false)");
      return;
    }
    running = true;
    thread = new Thread(this::run, "turbofarm-dispatcher");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** True once topics exist and the dispatcher loop runs: the readiness check reads it. */
  public boolean ready() {
    return kafkaReady;
  }

  private void run() {
    // Jobs are accepted while Kafka is still coming up; they wait in PostgreSQL until then.
    while (running && !kafkaReady) {
      try (Admin admin = kafka.admin()) {
        TopicSetup.ensure(admin, config.kafka());
        kafkaReady = true;
        LOG.infof("dispatcher ready: topics present on %s", kafka.bootstrap());
      } catch (Exception e) {
        LOG.errorf(
            "cannot set up Kafka topics on %s: %s; retrying (jobs are still accepted and wait in"
                + " PostgreSQL)",
            kafka.bootstrap(), rootCause(e));
        pause();
      }
    }
    Connection listen = null;
    while (running) {
      try {
        if (listen == null) {
          listen = ds.getConnection();
          listen.setAutoCommit(true);
          try (Statement s = listen.createStatement()) {
            s.execute("LISTEN job_queued");
          }
        }
        int sent = dispatchOnce();
        if (sent >= config.dispatcher().claimSize()) {
          continue;
        }
        // Returns at once if a NOTIFY came since the last call; else waits up to idlePoll.
        listen
            .unwrap(PGConnection.class)
            .getNotifications((int) config.dispatcher().idlePoll().toMillis());
      } catch (Exception e) {
        if (!running) {
          break;
        }
        LOG.errorf(
            "dispatch failed (%s); the claimed jobs stay QUEUED and are retried in %d ms. Check"
                + " PostgreSQL and the Kafka broker at %s",
            rootCause(e), config.dispatcher().retryBackoff().toMillis(), kafka.bootstrap());
        closeQuietly(listen);
        listen = null;
        pause();
      }
    }
    closeQuietly(listen);
  }

  /** Claims, sends and marks one page of QUEUED jobs; returns how many went out. */
  int dispatchOnce() throws Exception {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        // Losing this commit in a crash only reverts the jobs to QUEUED (sent again, results are
        // idempotent), so it need not wait for the WAL flush.
        try (Statement s = c.createStatement()) {
          s.execute("SET LOCAL synchronous_commit = off");
        }
        List<JobMessage> jobs = claim(c);
        if (jobs.isEmpty()) {
          c.commit();
          return 0;
        }
        send(jobs);
        try (PreparedStatement mark = c.prepareStatement(MARK)) {
          Array ids = c.createArrayOf("uuid", jobs.stream().map(JobMessage::jobId).toArray());
          mark.setLong(1, config.leases().dispatchLease().toMillis());
          mark.setArray(2, ids);
          mark.executeUpdate();
        }
        c.commit();
        dispatched.increment(jobs.size());
        return jobs.size();
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
  }

  private List<JobMessage> claim(Connection c) throws SQLException {
    List<JobMessage> jobs = new ArrayList<>();
    long now = System.currentTimeMillis();
    try (PreparedStatement ps = c.prepareStatement(PAUSED);
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        return jobs;
      }
    }
    // FairShare chooses and locks the rows (priority, in-flight cap, team weights); read them here.
    List<UUID> claimed = fairShare.claim(c, config.dispatcher().claimSize());
    if (claimed.isEmpty()) {
      return jobs;
    }
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      ps.setArray(1, c.createArrayOf("uuid", claimed.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Long[] seeds = (Long[]) rs.getArray("seeds").getArray();
          jobs.add(
              new JobMessage(
                  JobMessage.SCHEMA,
                  rs.getObject("id", UUID.class),
                  rs.getInt("attempt") + 1,
                  rs.getString("team"),
                  rs.getString("prompt"),
                  rs.getString("negative_prompt"),
                  rs.getString("profile"),
                  rs.getInt("width"),
                  rs.getInt("height"),
                  rs.getInt("steps"),
                  rs.getDouble("guidance"),
                  Arrays.asList(seeds),
                  rs.getTimestamp("created_at").getTime(),
                  now,
                  fallback(rs)));
        }
      }
    }
    return jobs;
  }

  private static JobMessage.Fallback fallback(ResultSet rs) throws SQLException {
    String profile = rs.getString("fallback_profile");
    return profile == null
        ? null
        : new JobMessage.Fallback(
            profile,
            rs.getInt("fallback_width"),
            rs.getInt("fallback_height"),
            rs.getInt("fallback_steps"));
  }

  private void send(List<JobMessage> jobs) throws Exception {
    KafkaProducer<String, byte[]> producer = kafka.producer();
    List<Future<RecordMetadata>> acks = new ArrayList<>(jobs.size());
    for (JobMessage job : jobs) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(Topics.JOBS, job.jobId().toString(), Json.write(job));
      record.headers().add(Topics.SCHEMA_HEADER, new byte[] {(byte) JobMessage.SCHEMA});
      acks.add(producer.send(record));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
    }
  }

  /** The innermost cause, as "Type: message": wrappers like ExecutionException say nothing. */
  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private void pause() {
    try {
      Thread.sleep(config.dispatcher().retryBackoff().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Already broken; nothing to release.
      }
    }
  }
}
