package dev.turbofarm.coordinator.worker.messaging;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.service.RecorderProgress;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import dev.turbofarm.coordinator.kafka.PoisonRecords;
import dev.turbofarm.coordinator.worker.service.WorkerRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Consumes worker heartbeats and hands each poll to {@link WorkerRegistry}, one transaction per
 * poll; a heartbeat that cannot be decoded or recorded goes to {@link PoisonRecords}.
 */
@ApplicationScoped
public class HeartbeatRecorder {
  private final WorkerRegistry registry;
  private final RecorderProgress progress;
  private final KafkaClients kafka;
  private final PoisonRecords poison;
  private final FarmConfig config;
  private ConsumerLoop<Heartbeat> loop;

  HeartbeatRecorder(
      WorkerRegistry registry,
      RecorderProgress progress,
      KafkaClients kafka,
      PoisonRecords poison,
      FarmConfig config) {
    this.registry = registry;
    this.progress = progress;
    this.kafka = kafka;
    this.poison = poison;
    this.config = config;
  }

  void start(@Observes StartupEvent ev) {
    loop =
        new ConsumerLoop<>(
            "turbofarm-heartbeats",
            Topics.HEARTBEATS,
            () -> kafka.consumer("turbofarm-coordinator-heartbeats", "coordinator-heartbeats"),
            value -> Json.read(value, Heartbeat.class),
            batch ->
                progress.handling(
                    "the heartbeat recorder",
                    config.leases().recorderStall(),
                    () -> registry.record(batch)),
            poison,
            config.dispatcher().retryBackoff());
    loop.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    if (loop != null) {
      loop.close();
    }
  }
}
