package dev.turbofarm.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageRulesTest {
  private static final byte[] V1 = MessageRules.schemaHeader(1);

  private static JobMessage job(int width, String prompt, List<Long> seeds) {
    return new JobMessage(
        JobMessage.SCHEMA,
        UUID.randomUUID(),
        1,
        "shop",
        prompt,
        "",
        "draft",
        width,
        512,
        10,
        6.0,
        seeds,
        1,
        2,
        null,
        null,
        0);
  }

  /** A schema 2 success naming its storage key (null leaves it out). */
  private static ResultMessage success(String key, double quality) {
    return success(ResultMessage.SCHEMA, null, key, quality);
  }

  private static ResultMessage success(int schema, String path, String key, double quality) {
    boolean stored = key != null;
    return new ResultMessage(
        schema,
        UUID.randomUUID(),
        1,
        0,
        ResultMessage.Status.SUCCEEDED,
        null,
        path,
        42,
        512,
        512,
        10,
        6.0,
        "model",
        "worker-1",
        1,
        5,
        5,
        quality,
        null,
        System.currentTimeMillis(),
        false,
        null,
        key,
        stored ? "0".repeat(64) : null,
        stored ? 1L : null,
        stored ? 0L : null,
        stored ? List.of(256) : null);
  }

  private static final byte[] V2 = MessageRules.schemaHeader(ResultMessage.SCHEMA);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aValidJobPasses() {
    JobMessage m = job(512, "a red mug", List.of(1L, 2L));
    assertThat(MessageRules.job(V1, Json.write(m))).isEqualTo(m);
  }

  @Test
  void theJobsThatKilledWorkersAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> MessageRules.job(V1, Json.write(job(0, "a red mug", List.of(1L)))))
        .isInstanceOf(Json.MalformedMessageException.class)
        .hasMessageContaining("width: is 0");
    assertThatThrownBy(() -> MessageRules.job(V1, bytes("{}")))
        .isInstanceOf(Json.MalformedMessageException.class);
    assertThatThrownBy(() -> MessageRules.job(V1, bytes("\u0001garbage{")))
        .isInstanceOf(Json.MalformedMessageException.class);
    assertThatThrownBy(
            () -> MessageRules.job(V1, Json.write(job(512, "x".repeat(100_000), List.of(1L)))))
        .hasMessageContaining("prompt: is 100000 characters");
    assertThatThrownBy(() -> MessageRules.job(V1, Json.write(job(512, "nul\u0000", List.of(1L)))))
        .hasMessageContaining("U+0000");
    assertThatThrownBy(() -> MessageRules.job(V1, Json.write(job(512, "x", List.of(-1L)))))
        .hasMessageContaining("seeds[0]");
    assertThatThrownBy(() -> MessageRules.job(V1, null)).hasMessageContaining("no value");
    assertThatThrownBy(() -> MessageRules.job(V1, bytes("null"))).hasMessageContaining("null");
  }

  @Test
  void theSchemaHeaderMustBeThereAndKnown() {
    byte[] ok = Json.write(job(512, "a red mug", List.of(1L)));
    assertThatThrownBy(() -> MessageRules.job(null, ok)).hasMessageContaining("no tf-schema");
    assertThatThrownBy(() -> MessageRules.job(MessageRules.schemaHeader(9), ok))
        .hasMessageContaining("schema 9");
    assertThatThrownBy(() -> MessageRules.job(bytes("1"), ok))
        .as("the digit '1' is not the schema byte 1")
        .hasMessageContaining("schema 49");
  }

  @Test
  void resultsNeedTheirFieldsAndRanges() {
    ResultMessage ok = success("ab/x/0.png", 0.5);
    assertThat(MessageRules.result(V2, Json.write(ok))).isEqualTo(ok);
    assertThatThrownBy(() -> MessageRules.result(V2, Json.write(success(null, 0.5))))
        .hasMessageContaining("storageKey: is required");
    assertThatThrownBy(() -> MessageRules.result(V2, Json.write(success("ab/x/0.png", 7))))
        .hasMessageContaining("quality");
    assertThatThrownBy(() -> MessageRules.result(V2, Json.write(success("nul\u0000", 0.5))))
        .hasMessageContaining("storageKey");
    // Schema 1 (a path on the worker, no key) is still read, and needs its path.
    ResultMessage schema1 = success(1, "/r/ab/x/0.png", null, 0.5);
    assertThat(MessageRules.result(V1, Json.write(schema1))).isEqualTo(schema1);
    assertThatThrownBy(() -> MessageRules.result(V1, Json.write(success(1, null, null, 0.5))))
        .hasMessageContaining("path: is required");
    assertThatThrownBy(() -> MessageRules.result(MessageRules.schemaHeader(3), Json.write(ok)))
        .hasMessageContaining("schema 3");
    assertThatThrownBy(() -> MessageRules.result(V1, bytes("{}")))
        .hasMessageContaining("jobId: is required")
        .hasMessageContaining("attempt")
        .hasMessageContaining("status");
    String failedWithoutReason =
        "{\"schema\":1,\"jobId\":\""
            + UUID.randomUUID()
            + "\",\"attempt\":1,\"index\":0,\"status\":\"FAILED\",\"workerId\":\"w\"}";
    assertThatThrownBy(() -> MessageRules.result(V1, bytes(failedWithoutReason)))
        .hasMessageContaining("reason: is required");
  }

  @Test
  void heartbeatsNeedAWorkerAStateAndATime() {
    Heartbeat ok =
        new Heartbeat(
            1,
            "w-1",
            "host",
            Heartbeat.WorkerState.READY,
            "m",
            8,
            0,
            List.of(),
            0,
            0.0,
            1,
            1,
            System.currentTimeMillis());
    assertThat(MessageRules.heartbeat(V1, Json.write(ok))).isEqualTo(ok);
    assertThatThrownBy(() -> MessageRules.heartbeat(V1, bytes("{}")))
        .hasMessageContaining("workerId: is required")
        .hasMessageContaining("state: is required")
        .hasMessageContaining("sentAtMs");
  }

  @Test
  void heartbeatsMayCarryABudgetAndTheCommandInForce() {
    Heartbeat h =
        new Heartbeat(
            1,
            "w-1",
            "host",
            Heartbeat.WorkerState.READY,
            "m",
            8,
            0,
            List.of(),
            0,
            0.0,
            1,
            1,
            System.currentTimeMillis(),
            1_000_000L,
            "CORDONED");
    assertThat(MessageRules.heartbeat(V1, Json.write(h))).isEqualTo(h);
    // An older worker's heartbeat, without the optional fields, still reads.
    String old =
        "{\"schema\":1,\"workerId\":\"w-2\",\"host\":\"h\",\"state\":\"READY\","
            + "\"maxBatchSize\":4,\"sentAtMs\":"
            + System.currentTimeMillis()
            + "}";
    Heartbeat read = MessageRules.heartbeat(V1, bytes(old));
    assertThat(read.memoryBudgetPixels()).isNull();
    assertThat(read.control()).isNull();
    String bad =
        old.replace(
            "\"maxBatchSize\"",
            "\"control\":\"ON_FIRE\",\"memoryBudgetPixels\":-1,\"maxBatchSize\"");
    assertThatThrownBy(() -> MessageRules.heartbeat(V1, bytes(bad)))
        .hasMessageContaining("control: is 'ON_FIRE'")
        .hasMessageContaining("memoryBudgetPixels: must not be negative");
  }

  @Test
  void workerCommandsNeedAWorkerACommandAndATime() {
    WorkerCommand ok =
        new WorkerCommand(
            1, "w-1", WorkerCommand.Command.DRAIN, "upgrade", System.currentTimeMillis());
    assertThat(MessageRules.workerCommand(V1, Json.write(ok))).isEqualTo(ok);
    assertThatThrownBy(() -> MessageRules.workerCommand(V1, bytes("{}")))
        .hasMessageContaining("workerId: is required")
        .hasMessageContaining("command: is required")
        .hasMessageContaining("issuedAtMs");
    assertThatThrownBy(() -> MessageRules.workerCommand(V1, bytes("{\"command\":\"EXPLODE\"}")))
        .isInstanceOf(Json.MalformedMessageException.class);
    assertThat(WorkerCommand.Command.DRAIN.applied()).isEqualTo("DRAINING");
    assertThat(WorkerCommand.Command.RUN.pauses()).isFalse();
  }
}
