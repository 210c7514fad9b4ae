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
  private final List<String> reasons = new ArrayList<>();

  private ConsumerLoop<Integer> accepting(java.util.function.Consumer<List<Integer>> handler) {
    return loop(ConsumerLoop.Handler.acceptingAll(handler));
  }

  private ConsumerLoop<Integer> loop(ConsumerLoop.Handler<Integer> handler) {
    return new ConsumerLoop<>(
        "test",
        "topic",
        () -> {
          throw new AssertionError("not started in this test");
        },
        r -> Integer.valueOf(new String(r.value(), StandardCharsets.UTF_8)),
        handler,
        (record, reason) -> {
          poisoned.add(record.offset());
          reasons.add(reason);
        },
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
    accepting(handled::add).process(records("1", "2", "3"));
    assertThat(handled).containsExactly(List.of(1, 2, 3));
    assertThat(poisoned).isEmpty();
  }

  @Test
  void anUndecodableRecordIsPoisonAndTheRestIsHandled() {
    accepting(handled::add).process(records("1", "not a number", "3"));
    assertThat(poisoned).containsExactly(1L);
    assertThat(handled).containsExactly(List.of(1, 3));
  }

  @Test
  void aMessageTheHandlerRefusesIsPoisonWithItsReasonAndTheRestIsDone() {
    ConsumerLoop.Handler<Integer> refuseOdd =
        messages -> {
          handled.add(messages.stream().filter(m -> m % 2 == 0).toList());
          return messages.stream()
              .filter(m -> m % 2 != 0)
              .map(m -> new ConsumerLoop.Rejected<>(m, m + " is odd"))
              .toList();
        };
    loop(refuseOdd).process(records("2", "3", "4"));
    assertThat(handled).containsExactly(List.of(2, 4));
    assertThat(poisoned).containsExactly(1L);
    assertThat(reasons).containsExactly("3 is odd");
  }

  @Test
  void aFatalFailureIsolatesTheRecordThatCausesIt() {
    ConsumerLoop<Integer> loop =
        accepting(
            (List<Integer> messages) -> {
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
        accepting(
            (List<Integer> messages) -> {
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
        accepting(
            (List<Integer> messages) -> {
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
