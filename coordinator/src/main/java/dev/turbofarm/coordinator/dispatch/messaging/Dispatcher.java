package dev.turbofarm.coordinator.dispatch.messaging;

import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.dispatch.service.DispatchService;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import dev.turbofarm.coordinator.kafka.TopicSetup;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * The dispatcher threads: set up the topics, then send QUEUED jobs to Kafka through {@link
 * DispatchService} (claim, send, mark in one transaction), sleeping on {@code LISTEN} between pages
 * and waking on each NOTIFY. One thread for all work ({@code job_queued}), and one for interactive
 * jobs only ({@code job_interactive}), so that an interactive job never waits while a bulk claim of
 * hundreds of jobs is sent and marked (docs/adr/0014-priority-end-to-end.md).
 */
@ApplicationScoped
public class Dispatcher {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class);

  /** How long one dispatch waits for the broker's acknowledgement before rolling back, s. */
  private static final long SEND_TIMEOUT_S = 30;

  private final DispatchService dispatch;
  private final KafkaClients kafka;
  private final FarmConfig config;

  /** Jobs topics known to exist: each model's is created on its first dispatch. */
  private final Set<String> topics = ConcurrentHashMap.newKeySet();

  private volatile boolean running;
  private volatile boolean kafkaReady;
  private Thread thread;
  private Thread interactiveThread;

  Dispatcher(DispatchService dispatch, KafkaClients kafka, FarmConfig config) {
    this.dispatch = dispatch;
    this.kafka = kafka;
    this.config = config;
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
    interactiveThread = new Thread(this::runInteractive, "turbofarm-dispatcher-interactive");
    interactiveThread.setDaemon(true);
    interactiveThread.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    running = false;
    for (Thread t : new Thread[] {interactiveThread, thread}) {
      if (t != null) {
        t.interrupt();
        try {
          t.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Interactive jobs only, once the topics exist; the main loop claims them too. */
  private void runInteractive() {
    while (running && !kafkaReady) {
      pause();
    }
    loop(
        "interactive dispatch",
        dispatch::interactiveWakeups,
        () -> dispatch.dispatchInteractive(this::send));
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
    loop("dispatch", dispatch::wakeups, () -> dispatch.dispatchOnce(this::send));
  }

  /** One claim-send-mark transaction; returns how many jobs went out. */
  @FunctionalInterface
  private interface Claim {
    int dispatchOnce() throws Exception;
  }

  /**
   * Dispatches until stopped: again at once after a full claim, else after a NOTIFY or the idle
   * poll; after a failure (database or broker down) reopens the listening connection and retries
   * after the back-off.
   */
  private void loop(String what, Supplier<DispatchService.Wakeups> listen, Claim claim) {
    DispatchService.Wakeups wakeups = null;
    while (running) {
      try {
        if (wakeups == null) {
          wakeups = listen.get();
        }
        int sent = claim.dispatchOnce();
        if (sent >= config.dispatcher().claimSize()) {
          continue;
        }
        wakeups.await(config.dispatcher().idlePoll());
      } catch (Exception e) {
        if (!running) {
          break;
        }
        LOG.errorf(
            "%s failed (%s); the claimed jobs stay QUEUED and are retried in %d ms. Check"
                + " PostgreSQL and the Kafka broker at %s",
            what, rootCause(e), config.dispatcher().retryBackoff().toMillis(), kafka.bootstrap());
        if (wakeups != null) {
          wakeups.close();
          wakeups = null;
        }
        pause();
      }
    }
    if (wakeups != null) {
      wakeups.close();
    }
  }

  /**
   * Sends every job to its model's jobs topic (created on first use), interactive jobs to the
   * model's interactive lane, which workers read first, and waits for the broker's acknowledgement
   * of each: all sends first, then one wait, so a claim's records leave in as few requests as the
   * partitions allow.
   */
  private void send(List<JobMessage> jobs) throws Exception {
    KafkaProducer<String, byte[]> producer = kafka.producer();
    boolean lane = config.dispatcher().interactiveLane();
    List<Future<RecordMetadata>> acks = new ArrayList<>(jobs.size());
    for (JobMessage job : jobs) {
      boolean interactive = lane && job.interactive();
      String topic =
          job.model() == null
              ? (interactive ? Topics.JOBS_INTERACTIVE : Topics.JOBS)
              : (interactive
                  ? Topics.interactiveJobsFor(job.model())
                  : Topics.jobsFor(job.model()));
      if (!topics.contains(topic)) {
        try (Admin admin = kafka.admin()) {
          TopicSetup.ensureJobsTopic(
              admin,
              config.kafka(),
              topic,
              interactive
                  ? config.kafka().interactivePartitions()
                  : config.kafka().jobsPartitions());
        }
        topics.add(topic);
      }
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(topic, job.jobId().toString(), Json.write(job));
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
}
