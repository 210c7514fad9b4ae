package dev.turbofarm.coordinator.job.messaging;

import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.service.ResultService;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Consumes the results topic and hands each poll to {@link ResultService}, one transaction per
 * poll; offsets are committed only after it commits.
 */
@ApplicationScoped
public class ResultRecorder {
  private static final Logger LOG = Logger.getLogger(ResultRecorder.class);

  private final ResultService results;
  private final KafkaClients kafka;
  private final FarmConfig config;
  private ConsumerLoop loop;

  ResultRecorder(ResultService results, KafkaClients kafka, FarmConfig config) {
    this.results = results;
    this.kafka = kafka;
    this.config = config;
  }

  void start(@Observes StartupEvent ev) {
    loop =
        new ConsumerLoop(
            "turbofarm-results",
            Topics.RESULTS,
            () -> kafka.consumer(Topics.COORDINATOR_RESULTS_GROUP, "coordinator-results"),
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
    List<ResultMessage> messages = new ArrayList<>(records.size());
    for (ConsumerRecord<String, byte[]> r : records) {
      try {
        messages.add(Json.read(r.value(), ResultMessage.class));
      } catch (Json.MalformedMessageException e) {
        // Poison on the results topic: skipping it is all we can do; say where it is.
        LOG.errorf(
            "skipping malformed result at %s-%d offset %d: %s",
            r.topic(), r.partition(), r.offset(), e.getMessage());
      }
    }
    results.record(messages);
  }
}
