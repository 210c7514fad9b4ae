package dev.turbofarm.coordinator.kafka;

import dev.turbofarm.coordinator.error.UnavailableProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Consumes one topic on its own thread: decodes each poll's records and hands them to a handler in
 * one call (one database transaction); offsets are committed only after the handler returned, so a
 * crash re-reads, never skips. The handler must be idempotent. Why this loop is written by hand
 * rather than with {@code @Incoming}: docs/adr/0006-hand-written-consumer-loops.md.
 *
 * <p>What happens on failure is decided by type, never by message text:
 *
 * <ul>
 *   <li>retriable ({@link UnavailableProblem#isRetriable}: the database is down or busy): nothing
 *       is committed; the consumer is recreated after a back-off and resumes from the last
 *       committed offset, as often as it takes;
 *   <li>a record that cannot be decoded: poison, handed to {@link PoisonRecords} at once;
 *   <li>any other failure of the handler: the poll is handled again record by record, each in its
 *       own call, and a record that still fails, not retriably, on its own is poison. The others
 *       are recorded, so one bad record never stalls its partition.
 * </ul>
 *
 * @param <T> the decoded message type
 */
public final class ConsumerLoop<T> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

  /** Poll timeout: bounds how fast the loop notices shutdown, ms. */
  private static final Duration POLL = Duration.ofMillis(500);

  /** Decodes one record's value; a failure makes the record poison. */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(byte[] value);
  }

  /** The work done with one poll's messages, in one database transaction. */
  @FunctionalInterface
  public interface Handler<T> {
    void handle(List<T> messages);
  }

  private record Decoded<T>(ConsumerRecord<String, byte[]> record, T message) {}

  private final String name;
  private final String topic;
  private final Supplier<KafkaConsumer<String, byte[]>> factory;
  private final Decoder<T> decoder;
  private final Handler<T> handler;
  private final PoisonRecords poison;
  private final Duration retryBackoff;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;

  public ConsumerLoop(
      String name,
      String topic,
      Supplier<KafkaConsumer<String, byte[]>> factory,
      Decoder<T> decoder,
      Handler<T> handler,
      PoisonRecords poison,
      Duration retryBackoff) {
    this.name = name;
    this.topic = topic;
    this.factory = factory;
    this.decoder = decoder;
    this.handler = handler;
    this.poison = poison;
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
          List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(polled.count());
          polled.forEach(records::add);
          process(records);
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
            "%s: cannot process records from %s now; retrying in %d ms from the last committed"
                + " offset (is PostgreSQL up? is the broker?)",
            name,
            topic,
            retryBackoff.toMillis());
        sleep(retryBackoff);
      }
    }
  }

  /**
   * Handles one poll; returns normally when every record is recorded or poisoned.
   *
   * @throws RuntimeException a retriable failure: nothing of this poll may be committed
   */
  void process(List<ConsumerRecord<String, byte[]>> records) {
    List<Decoded<T>> decoded = new ArrayList<>(records.size());
    for (ConsumerRecord<String, byte[]> r : records) {
      try {
        decoded.add(new Decoded<>(r, decoder.decode(r.value())));
      } catch (RuntimeException e) {
        poison.poisoned(r, e);
      }
    }
    if (decoded.isEmpty()) {
      return;
    }
    try {
      handler.handle(decoded.stream().map(Decoded::message).toList());
    } catch (RuntimeException e) {
      if (UnavailableProblem.isRetriable(e)) {
        throw e;
      }
      LOG.warnf(
          "%s: a poll of %d records from %s failed (%s); handling them one by one to find the"
              + " record that cannot be processed",
          name, decoded.size(), topic, e.toString());
      for (Decoded<T> d : decoded) {
        try {
          handler.handle(List.of(d.message()));
        } catch (RuntimeException single) {
          if (UnavailableProblem.isRetriable(single)) {
            throw single;
          }
          poison.poisoned(d.record(), single);
        }
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
