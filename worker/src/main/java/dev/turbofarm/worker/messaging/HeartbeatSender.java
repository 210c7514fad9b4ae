package dev.turbofarm.worker.messaging;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.worker.WorkerStatus;
import dev.turbofarm.worker.health.ProcessMemory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends this worker's {@link Heartbeat} every interval, and once more on each state change. */
public final class HeartbeatSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatSender.class);

  private final String workerId;
  private final String host;
  private final WorkerStatus status;
  private final Producer<String, byte[]> producer;
  private final ScheduledExecutorService timer;
  private final boolean ownsTimer;
  private volatile ScheduledFuture<?> ticks;
  private long lastCount;
  private long lastAtNs = System.nanoTime();

  public HeartbeatSender(String workerId, WorkerStatus status, Producer<String, byte[]> producer) {
    this(workerId, status, producer, null);
  }

  /**
   * A sender on {@code sharedTimer}, which many senders may share (the simulated workers: one
   * heartbeat stream per virtual worker, not one thread each); null gives it a timer of its own. A
   * shared timer is not shut down by {@link #close()}.
   */
  public HeartbeatSender(
      String workerId,
      WorkerStatus status,
      Producer<String, byte[]> producer,
      ScheduledExecutorService sharedTimer) {
    this.workerId = workerId;
    this.status = status;
    this.producer = producer;
    this.host = hostName();
    this.ownsTimer = sharedTimer == null;
    this.timer =
        ownsTimer
            ? Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "heartbeat");
                  t.setDaemon(true);
                  return t;
                })
            : sharedTimer;
  }

  public void start(Duration interval) {
    start(interval, Duration.ZERO);
  }

  /** Heartbeats every {@code interval}, the first after {@code firstDelay}. */
  public void start(Duration interval, Duration firstDelay) {
    ticks =
        timer.scheduleAtFixedRate(
            this::send, firstDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends one now (state changes should not wait for the next tick). */
  public void sendNow() {
    timer.execute(this::send);
  }

  private synchronized void send() {
    try {
      long now = System.nanoTime();
      long count = status.imagesRendered();
      double seconds = (now - lastAtNs) / 1e9;
      double rate = seconds > 0 ? (count - lastCount) / seconds : 0;
      lastCount = count;
      lastAtNs = now;
      status.imagesPerSecond(rate);
      Runtime rt = Runtime.getRuntime();
      Heartbeat hb =
          new Heartbeat(
              Heartbeat.SCHEMA,
              workerId,
              host,
              status.state(),
              status.modelId(),
              status.maxBatchSize(),
              status.currentBatch(),
              status.inFlight(),
              count,
              rate,
              rt.totalMemory() - rt.freeMemory(),
              ProcessMemory.residentBytes(),
              System.currentTimeMillis(),
              status.memoryBudgetPixels(),
              status.control().applied());
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(Topics.HEARTBEATS, workerId, Json.write(hb));
      record.headers().add(Topics.SCHEMA_HEADER, MessageRules.schemaHeader(Heartbeat.SCHEMA));
      producer.send(record);
    } catch (RuntimeException e) {
      LOG.warn("worker {}: heartbeat not sent: {}", workerId, e.getMessage());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }

  @Override
  public void close() {
    ScheduledFuture<?> t = ticks;
    if (t != null) {
      t.cancel(false);
    }
    send();
    if (!ownsTimer) {
      return;
    }
    timer.shutdown();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
