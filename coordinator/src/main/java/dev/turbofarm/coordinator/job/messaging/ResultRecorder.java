package dev.turbofarm.coordinator.job.messaging;

import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.service.ResultService;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.kafka.DeadLetterTopics;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Consumes the results topic and hands each poll to {@link ResultService}, one transaction per
 * poll; offsets are committed only after it commits. Each record is checked by common's {@link
 * MessageRules} (schema header, fields, ranges), then against its job by the service; a result that
 * fails either goes to the dead-letter topic {@code dlq.turbofarm.results} ({@link
 * DeadLetterTopics}) with the reason; see {@link ConsumerLoop} for retry versus skip.
 */
@ApplicationScoped
public class ResultRecorder {
  private final ResultService results;
  private final KafkaClients kafka;
  private final DeadLetterTopics poison;
  private final FarmConfig config;
  private ConsumerLoop<ResultMessage> loop;

  ResultRecorder(
      ResultService results, KafkaClients kafka, DeadLetterTopics poison, FarmConfig config) {
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
            r -> ResultReader.read(KafkaClients.schemaHeader(r), r.value()),
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
