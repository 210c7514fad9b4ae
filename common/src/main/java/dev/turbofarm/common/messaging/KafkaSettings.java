package dev.turbofarm.common.messaging;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Producer settings every TurboFarm process shares, as Kafka client property names (plain strings:
 * common/ carries no Kafka client). Each process adds its bootstrap servers, client id and
 * serializers, and may add settings of its own with a reason.
 */
public final class KafkaSettings {

  private KafkaSettings() {}

  /**
   * The client security settings among {@code config} (Kafka property names): {@code
   * security.protocol} and every {@code sasl.*} and {@code ssl.*} key, as strings. Each process
   * reads them from its own configuration (the coordinator from {@code kafka.*} keys or {@code
   * KAFKA_*} variables, the worker from the same variables) and adds them to every client it makes,
   * so SASL/SCRAM (docker-compose.yml) or TLS needs no code.
   */
  public static Map<String, String> security(Map<String, ?> config) {
    Map<String, String> out = new TreeMap<>();
    config.forEach(
        (k, v) -> {
          if (v != null
              && (k.equals("security.protocol") || k.startsWith("sasl.") || k.startsWith("ssl."))) {
            out.put(k, v.toString());
          }
        });
    return Collections.unmodifiableMap(out);
  }

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
