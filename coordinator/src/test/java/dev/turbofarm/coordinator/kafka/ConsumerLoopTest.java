package dev.turbofarm.coordinator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.coordinator.error.DatabaseException;
import dev.turbofarm.coordinator.error.DatabaseUnavailableException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Retry versus skip, decided by the failure's type (the loop's thread is never started here). */
class ConsumerLoopTest {
  private final List<List<Integer>> handled = new ArrayList<>();
  private final List<Long> poisoned = new ArrayList<>();

  private ConsumerLoop<Integer> loop(ConsumerLoop.Handler<Integer> handler) {
    return new ConsumerLoop<>(
        "test",
        "topic",
        () -> {
          throw new AssertionError("not started in this test");
        },
        value -> Integer.valueOf(new String(value, StandardCharsets.UTF_8)),
        handler,
        (record, reason) -> poisoned.add(record.offset()),
        Duration.ofMillis(1));
  }

  private static List<ConsumerRecord<String, byte[]>> records(String... values) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      out.add(new ConsumerRecord<>("topic", 0, i, "k", values[i].getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void aGoodPollIsHandledInOneCall() {
    loop(handled::add).process(records("1", "2", "3"));
    assertThat(handled).containsExactly(List.of(1, 2, 3));
    assertThat(poisoned).isEmpty();
  }

  @Test
  void anUndecodableRecordIsPoisonAndTheRestIsHandled() {
    loop(handled::add).process(records("1", "not a number", "3"));
    assertThat(poisoned).containsExactly(1L);
    assertThat(handled).containsExactly(List.of(1, 3));
  }

  @Test
  void aFatalFailureIsolatesTheRecordThatCausesIt() {
    ConsumerLoop<Integer> loop =
        loop(
            messages -> {
              if (messages.contains(13)) {
                throw new DatabaseException(
                    "insert failed", new SQLException("null value", "23502"));
              }
              handled.add(messages);
            });
    loop.process(records("1", "13", "3"));
    assertThat(poisoned).containsExactly(1L);
    assertThat(handled).containsExactly(List.of(1), List.of(3));
  }

  @Test
  void aRetriableFailureCommitsNothingAndPoisonsNothing() {
    ConsumerLoop<Integer> loop =
        loop(
            messages -> {
              throw new DatabaseUnavailableException(
                  "no connection", new SQLException("refused", "08001"));
            });
    assertThatThrownBy(() -> loop.process(records("1", "2")))
        .isInstanceOf(DatabaseUnavailableException.class);
    assertThat(poisoned).isEmpty();
  }

  @Test
  void anOutageDuringIsolationIsStillRetried() {
    int[] calls = {0};
    ConsumerLoop<Integer> loop =
        loop(
            messages -> {
              if (calls[0]++ == 0) {
                throw new IllegalStateException("a bug on the whole poll");
              }
              throw new DatabaseUnavailableException(
                  "gone", new SQLException("terminating connection", "57P01"));
            });
    assertThatThrownBy(() -> loop.process(records("1", "2")))
        .isInstanceOf(DatabaseUnavailableException.class);
    assertThat(poisoned).isEmpty();
  }
}
