package dev.turbofarm.coordinator.kafka;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Consumes one topic on its own thread and hands each poll to a handler; offsets are committed only
 * after the handler succeeded, so a crash or a database outage re-reads, never skips. The handler
 * must be idempotent.
 */
public final class ConsumerLoop implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

  /** Poll timeout: bounds how fast the loop notices shutdown, ms. */
  private static final Duration POLL = Duration.ofMillis(500);

  /** The work done with one poll's records, in one database transaction. */
  @FunctionalInterface
  public interface Handler {
    void handle(List<ConsumerRecord<String, byte[]>> records) throws Exception;
  }

  private final String name;
  private final String topic;
  private final Supplier<KafkaConsumer<String, byte[]>> factory;
  private final Handler handler;
  private final Duration retryBackoff;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;

  public ConsumerLoop(
      String name,
      String topic,
      Supplier<KafkaConsumer<String, byte[]>> factory,
      Handler handler,
      Duration retryBackoff) {
    this.name = name;
    this.topic = topic;
    this.factory = factory;
    this.handler = handler;
    this.retryBackoff = retryBackoff;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    while (running) {
      try (KafkaConsumer<String, byte[]> c = factory.get()) {
        consumer = c;
        c.subscribe(List.of(topic));
        while (running) {
          ConsumerRecords<String, byte[]> polled = c.poll(POLL);
          if (polled.isEmpty()) {
            continue;
          }
          List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>(polled.count());
          polled.forEach(records::add);
          handler.handle(records);
          c.commitSync();
        }
      } catch (WakeupException e) {
        // close() woke us: fall through and leave.
      } catch (Exception e) {
        if (!running) {
          break;
        }
        // The consumer is recreated so that it resumes from the last committed offset.
        LOG.errorf(
            e,
            "%s: failed to process records from %s; retrying in %d ms from the last committed"
                + " offset (is PostgreSQL up?)",
            name,
            topic,
            retryBackoff.toMillis());
        sleep(retryBackoff);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
