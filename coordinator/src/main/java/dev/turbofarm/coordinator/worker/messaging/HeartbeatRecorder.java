package dev.turbofarm.coordinator.worker.messaging;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.service.RecorderProgress;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.kafka.DeadLetterTopics;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import dev.turbofarm.coordinator.worker.service.WorkerRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Consumes worker heartbeats and hands each poll to {@link WorkerRegistry}, one transaction per
 * poll; a heartbeat that breaks common's {@link MessageRules} or cannot be recorded goes to the
 * dead-letter topic {@code dlq.turbofarm.heartbeats} ({@link DeadLetterTopics}) and the registry
 * moves on.
 */
@ApplicationScoped
public class HeartbeatRecorder {
  private final WorkerRegistry registry;
  private final RecorderProgress progress;
  private final KafkaClients kafka;
  private final DeadLetterTopics poison;
  private final FarmConfig config;
  private ConsumerLoop<Heartbeat> loop;

  HeartbeatRecorder(
      WorkerRegistry registry,
      RecorderProgress progress,
      KafkaClients kafka,
      DeadLetterTopics poison,
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
            () -> kafka.consumer(Topics.COORDINATOR_HEARTBEATS_GROUP, "coordinator-heartbeats"),
            r -> MessageRules.heartbeat(KafkaClients.schemaHeader(r), r.value()),
            ConsumerLoop.Handler.acceptingAll(
                batch ->
                    progress.handling(
                        "the heartbeat recorder",
                        config.leases().recorderStall(),
                        () -> registry.record(batch))),
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
