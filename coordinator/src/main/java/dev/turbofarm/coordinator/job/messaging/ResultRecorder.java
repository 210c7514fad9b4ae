package dev.turbofarm.coordinator.job.messaging;

import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.job.service.RecorderProgress;
import dev.turbofarm.coordinator.job.service.ResultService;
import dev.turbofarm.coordinator.kafka.ConsumerLoop;
import dev.turbofarm.coordinator.kafka.DeadLetterTopics;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import dev.turbofarm.coordinator.worker.service.Quarantine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Consumes the results topics and hands each poll to {@link ResultService}, one transaction per
 * poll; offsets are committed only after it commits. Each record is checked by common's {@link
 * dev.turbofarm.common.messaging.MessageRules} and the store's rules ({@link ResultReader}), then
 * against its job by the service; a result that fails either goes to the dead-letter topic {@code
 * dlq.turbofarm.results} ({@link DeadLetterTopics}) with the reason; see {@link ConsumerLoop} for
 * retry versus skip. Two loops, two threads: bulk results, and the results of interactive jobs,
 * which never wait behind a burst of bulk ones (docs/adr/0014-priority-end-to-end.md); both lock
 * their jobs in id order, so they cannot deadlock each other.
 */
@ApplicationScoped
public class ResultRecorder {
  private final ResultService results;
  private final RecorderProgress progress;
  private final KafkaClients kafka;
  private final DeadLetterTopics poison;
  private final FarmConfig config;
  private final Quarantine quarantine;
  private ConsumerLoop<ResultMessage> loop;
  private ConsumerLoop<ResultMessage> interactiveLoop;

  ResultRecorder(
      ResultService results,
      RecorderProgress progress,
      KafkaClients kafka,
      DeadLetterTopics poison,
      FarmConfig config,
      Quarantine quarantine) {
    this.quarantine = quarantine;
    this.results = results;
    this.progress = progress;
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
            batch ->
                progress.handling(
                    "the results recorder",
                    config.leases().recorderStall(),
                    () -> recordAndCheck(batch)),
            poison,
            config.dispatcher().retryBackoff());
    loop.start();
    interactiveLoop =
        new ConsumerLoop<>(
            "turbofarm-results-interactive",
            Topics.RESULTS_INTERACTIVE,
            () ->
                kafka.consumer(
                    Topics.COORDINATOR_INTERACTIVE_RESULTS_GROUP,
                    "coordinator-results-interactive"),
            r -> ResultReader.read(KafkaClients.schemaHeader(r), r.value()),
            batch ->
                progress.handling(
                    "the interactive results recorder",
                    config.leases().recorderStall(),
                    () -> recordAndCheck(batch)),
            poison,
            config.dispatcher().retryBackoff());
    interactiveLoop.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    if (interactiveLoop != null) {
      interactiveLoop.close();
    }
    if (loop != null) {
      loop.close();
    }
  }

  /** Records a poll, then (committed) checks its failing workers for quarantine. */
  private List<ConsumerLoop.Rejected<ResultMessage>> recordAndCheck(List<ResultMessage> batch) {
    List<ConsumerLoop.Rejected<ResultMessage>> refused = results.record(batch);
    quarantine.evaluate(batch);
    return refused;
  }
}
