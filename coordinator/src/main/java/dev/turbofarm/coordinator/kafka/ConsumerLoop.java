package dev.turbofarm.coordinator.kafka;

import dev.turbofarm.coordinator.error.UnavailableProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
 *   <li>a record that cannot be decoded, or breaks the message rules the decoder checks: poison,
 *       handed to {@link PoisonRecords} at once;
 *   <li>a message the handler refuses (it returns it with the reason, for instance a result that
 *       does not fit its job): poison too, while the handler's work on the others commits;
 *   <li>any other failure of the handler: the poll is handled again record by record, each in its
 *       own call, and a record that still fails, not retriably, on its own is poison. The others
 *       are recorded, so one bad record never stalls its partition.
 * </ul>
 *
 * <p>Poison goes to a dead-letter topic ({@link DeadLetterTopics}); when that cannot be written the
 * hook throws a retriable failure and the poll is read again, so no record is skipped unseen.
 *
 * @param <T> the decoded message type
 */
public final class ConsumerLoop<T> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

  /** Poll timeout: bounds how fast the loop notices shutdown, ms. */
  private static final Duration POLL = Duration.ofMillis(500);

  /**
   * Decodes one record (its value and headers: the schema header is checked here); a failure makes
   * the record poison, its message the reason.
   */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(ConsumerRecord<String, byte[]> record);
  }

  /**
   * The work done with one poll's messages, in one database transaction.
   *
   * @return the messages it refused, each with the reason: they are poison, the rest was done
   */
  @FunctionalInterface
  public interface Handler<T> {
    List<Rejected<T>> handle(List<T> messages);

    /** A handler that refuses nothing. */
    static <T> Handler<T> acceptingAll(java.util.function.Consumer<List<T>> work) {
      return messages -> {
        work.accept(messages);
        return List.of();
      };
    }
  }

  /**
   * A message the handler refused.
   *
   * @param reason what is wrong with it, for the dead-letter header and the log
   */
  public record Rejected<T>(T message, String reason) {}

  private record Decoded<T>(ConsumerRecord<String, byte[]> record, T message) {}

  private final String name;
  private final List<String> topics;
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
    this(name, List.of(topic), factory, decoder, handler, poison, retryBackoff);
  }

  /** A loop over several topics at once (the dead-letter topics). */
  public ConsumerLoop(
      String name,
      List<String> topics,
      Supplier<KafkaConsumer<String, byte[]>> factory,
      Decoder<T> decoder,
      Handler<T> handler,
      PoisonRecords poison,
      Duration retryBackoff) {
    this.name = name;
    this.topics = List.copyOf(topics);
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
        c.subscribe(topics);
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
            topics,
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
      T message;
      try {
        message = decoder.decode(r);
      } catch (RuntimeException e) {
        poison.poisoned(r, e.getMessage() == null ? e.toString() : e.getMessage());
        continue;
      }
      decoded.add(new Decoded<>(r, message));
    }
    if (decoded.isEmpty()) {
      return;
    }
    try {
      refused(decoded, handler.handle(decoded.stream().map(Decoded::message).toList()));
    } catch (RuntimeException e) {
      if (UnavailableProblem.isRetriable(e)) {
        throw e;
      }
      LOG.warnf(
          "%s: a poll of %d records from %s failed (%s); handling them one by one to find the"
              + " record that cannot be processed",
          name, decoded.size(), topics, e.toString());
      for (Decoded<T> d : decoded) {
        try {
          refused(List.of(d), handler.handle(List.of(d.message())));
        } catch (RuntimeException single) {
          if (UnavailableProblem.isRetriable(single)) {
            throw single;
          }
          poison.poisoned(d.record(), "cannot be processed: " + single);
        }
      }
    }
  }

  /** Hands each refused message's record to the poison hook, with the handler's reason. */
  private void refused(List<Decoded<T>> decoded, List<Rejected<T>> rejected) {
    if (rejected == null || rejected.isEmpty()) {
      return;
    }
    Map<T, ConsumerRecord<String, byte[]>> recordOf = new IdentityHashMap<>();
    decoded.forEach(d -> recordOf.put(d.message(), d.record()));
    for (Rejected<T> r : rejected) {
      ConsumerRecord<String, byte[]> record = recordOf.get(r.message());
      if (record == null) {
        throw new IllegalStateException(name + ": the handler refused a message it was not given");
      }
      poison.poisoned(record, r.reason());
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
