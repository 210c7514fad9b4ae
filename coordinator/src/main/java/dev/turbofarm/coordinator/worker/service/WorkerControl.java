package dev.turbofarm.coordinator.worker.service;

import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.common.messaging.WorkerCommand;
import dev.turbofarm.coordinator.error.NotFoundProblem;
import dev.turbofarm.coordinator.error.UnavailableProblem;
import dev.turbofarm.coordinator.kafka.KafkaClients;
import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.worker.persistence.WorkerRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Admin commands to workers (docs/adr/0017-worker-control.md): the command in force is recorded on
 * the worker's row (the dispatcher stops counting a controlled worker's capacity at once, and the
 * admin list shows it), then sent on the compacted {@link Topics#CONTROL} topic keyed by the worker
 * id, which the worker follows. The worker's heartbeats report what it applies.
 */
@ApplicationScoped
public class WorkerControl {
  private static final Logger LOG = Logger.getLogger(WorkerControl.class);

  /** Longest wait for the broker to take a command, seconds. */
  private static final int SEND_TIMEOUT_S = 10;

  private final WorkerRepository workers;
  private final KafkaClients kafka;
  private final Audit audit;

  WorkerControl(WorkerRepository workers, KafkaClients kafka, Audit audit) {
    this.workers = workers;
    this.kafka = kafka;
    this.audit = audit;
  }

  /**
   * Records and sends a command to one worker, audited under {@code worker.<command>}.
   *
   * @throws NotFoundProblem for a worker never seen
   * @throws UnavailableProblem when the broker did not take the command (the record stands; send it
   *     again)
   */
  public void command(String workerId, WorkerCommand.Command command, String reason, Caller by) {
    if (!workers.setControl(workerId, command.applied(), reason)) {
      throw new NotFoundProblem("no worker '" + workerId + "' has been seen by this farm");
    }
    audit.record(
        by,
        "worker." + command.name().toLowerCase(java.util.Locale.ROOT),
        "worker:" + workerId,
        reason);
    send(workerId, command, reason);
  }

  /** Sends a command without an admin (the coordinator's own: quarantine). */
  public void commandBySystem(String workerId, WorkerCommand.Command command, String reason) {
    workers.setControl(workerId, command.applied(), reason);
    send(workerId, command, reason);
  }

  private void send(String workerId, WorkerCommand.Command command, String reason) {
    WorkerCommand message =
        new WorkerCommand(
            WorkerCommand.SCHEMA, workerId, command, reason, System.currentTimeMillis());
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.CONTROL, workerId, Json.write(message));
    record.headers().add(Topics.SCHEMA_HEADER, MessageRules.schemaHeader(WorkerCommand.SCHEMA));
    try {
      kafka.producer().send(record).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
      LOG.infof("worker %s: sent %s (%s)", workerId, command, reason);
    } catch (ExecutionException | TimeoutException e) {
      throw new UnavailableProblem(
          "the "
              + command
              + " of worker "
              + workerId
              + " is recorded but Kafka did not take it ("
              + e
              + "); send it again",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableProblem("interrupted while sending the command to " + workerId, e);
    }
  }
}
