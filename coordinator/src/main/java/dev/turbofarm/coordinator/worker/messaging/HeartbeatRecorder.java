package dev.turbofarm.coordinator.worker.messaging;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import dev.turbofarm.coordinator.worker.service.WorkerRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/** Consumes worker heartbeats and hands each poll to {@link WorkerRegistry}. */
@ApplicationScoped
public class HeartbeatRecorder {
  private static final Logger LOG = Logger.getLogger(HeartbeatRecorder.class);

  private final WorkerRegistry registry;
  private final KafkaClients kafka;
  private final FarmConfig config;
  private ConsumerLoop loop;

  HeartbeatRecorder(WorkerRegistry registry, KafkaClients kafka, FarmConfig config) {
    this.registry = registry;
    this.kafka = kafka;
    this.config = config;
  }

  void start(@Observes StartupEvent ev) {
    loop =
        new ConsumerLoop(
            "turbofarm-heartbeats",
            Topics.HEARTBEATS,
            () -> kafka.consumer("turbofarm-coordinator-heartbeats", "coordinator-heartbeats"),
            this::record,
            config.dispatcher().retryBackoff());
    loop.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    if (loop != null) {
      loop.close();
    }
  }

  void record(List<ConsumerRecord<String, byte[]>> records) {
    List<Heartbeat> heartbeats = new ArrayList<>(records.size());
    for (ConsumerRecord<String, byte[]> r : records) {
      try {
        heartbeats.add(Json.read(r.value(), Heartbeat.class));
      } catch (Json.MalformedMessageException e) {
        LOG.warnf("skipping malformed heartbeat at offset %d: %s", r.offset(), e.getMessage());
      }
    }
    registry.record(heartbeats);
  }
}
