package dev.turbofarm.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RenderGateTest {
  @Test
  void aWaitingInteractiveBatchGoesBeforeAWaitingBulkBatch() throws Exception {
    RenderGate gate = new RenderGate();
    List<String> order = new CopyOnWriteArrayList<>();
    gate.acquire(false); // a bulk batch renders
    Thread bulk = start(gate, false, "bulk", order);
    await().atMost(Duration.ofSeconds(5)).until(() -> bulk.getState() == Thread.State.WAITING);
    Thread interactive = start(gate, true, "interactive", order);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> interactive.getState() == Thread.State.WAITING);
    gate.release();
    bulk.join(5000);
    interactive.join(5000);
    assertThat(order).containsExactly("interactive", "bulk");
  }

  @Test
  void withoutAnInteractiveCallerBulkBatchesTakeTurns() throws Exception {
    RenderGate gate = new RenderGate();
    List<String> order = new CopyOnWriteArrayList<>();
    gate.acquire(false);
    Thread second = start(gate, false, "second bulk", order);
    await().atMost(Duration.ofSeconds(5)).until(() -> second.getState() == Thread.State.WAITING);
    assertThat(order).as("the gate is held").isEmpty();
    gate.release();
    second.join(5000);
    assertThat(order).containsExactly("second bulk");
  }

  @Test
  void aBulkBatchPausedForAnInteractiveOneTakesTheModelBackBeforeTheNextBulkBatch()
      throws Exception {
    RenderGate gate = new RenderGate();
    List<String> order = new CopyOnWriteArrayList<>();
    gate.acquire(false); // bulk batch A renders its first step on this thread
    assertThat(gate.yieldToInteractive()).as("nothing waits: A keeps the model").isFalse();
    Thread interactive = start(gate, true, "interactive", order);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> interactive.getState() == Thread.State.WAITING);
    Thread bulkB = start(gate, false, "bulk B", order);
    await().atMost(Duration.ofSeconds(5)).until(() -> bulkB.getState() == Thread.State.WAITING);
    assertThat(gate.yieldToInteractive()).as("A lent the model between two steps").isTrue();
    order.add("bulk A goes on");
    gate.release();
    interactive.join(5000);
    bulkB.join(5000);
    assertThat(order).containsExactly("interactive", "bulk A goes on", "bulk B");
  }

  private static Thread start(
      RenderGate gate, boolean interactive, String name, List<String> order) {
    Thread t =
        new Thread(
            () -> {
              gate.acquire(interactive);
              order.add(name);
              gate.release();
            },
            name);
    t.start();
    return t;
  }
}
