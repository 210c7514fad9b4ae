package dev.turbofarm.common.messaging;

import java.util.Map;

/**
 * Producer settings every TurboFarm process shares, as Kafka client property names (plain strings:
 * common/ carries no Kafka client). Each process adds its bootstrap servers, client id and
 * serializers, and may add settings of its own with a reason.
 */
public final class KafkaSettings {

  private KafkaSettings() {}

  /** The shared producer defaults, immutable. */
  public static Map<String, String> producerDefaults() {
    return Map.of(
        // A job or result counts as sent only once every in-sync replica has it.
        "acks", "all",
        // Retries after a lost acknowledgement cannot write a record twice.
        "enable.idempotence", "true",
        // Latency over batching: each dispatch, result and heartbeat leaves at once, ms.
        "linger.ms", "0",
        // A send blocks while the topics do not exist yet (a cold farm); callers retry, ms.
        "max.block.ms", "10000");
  }
}
