package dev.turbofarm.coordinator.job.messaging;

import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.service.ResultService;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import dev.turbofarm.coordinator.kafka.PoisonRecords;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Consumes the results topic and hands each poll to {@link ResultService}, one transaction per
 * poll; offsets are committed only after it commits. A result that cannot be decoded or recorded
 * goes to {@link PoisonRecords}; see {@link ConsumerLoop} for retry versus skip.
 */
@ApplicationScoped
public class ResultRecorder {
  private final ResultService results;
  private final KafkaClients kafka;
  private final PoisonRecords poison;
  private final FarmConfig config;
  private ConsumerLoop<ResultMessage> loop;

  ResultRecorder(
      ResultService results, KafkaClients kafka, PoisonRecords poison, FarmConfig config) {
    this.results = results;
    this.kafka = kafka;
    this.poison = poison;
    this.config = config;
  }

  void start(@Observes StartupEvent ev) {
    loop =
        new ConsumerLoop<>(
            "turbofarm-results",
            Topics.RESULTS,
            () -> kafka.consumer(Topics.COORDINATOR_RESULTS_GROUP, "coordinator-results"),
            ResultReader::read,
            results::record,
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
