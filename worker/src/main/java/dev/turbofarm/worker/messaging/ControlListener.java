package dev.turbofarm.worker.messaging;

import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.common.messaging.WorkerCommand;
import dev.turbofarm.worker.WorkerStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the admin commands for this worker on the compacted {@link Topics#CONTROL} topic
 * (docs/adr/0017-worker-control.md): no consumer group, every partition assigned and read from the
 * beginning at start, so the newest command for this worker is in force again after a restart, and
 * no group or offset is left behind per worker. A command applies to {@link WorkerStatus}, which
 * the job loops check before each poll; a record that breaks {@link MessageRules} is logged and
 * skipped, never stops the worker.
 */
public final class ControlListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);

  private final String workerId;
  private final WorkerStatus status;
  private final Runnable onChange;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private volatile boolean closing;

  /**
   * @param kafka bootstrap servers and security settings
   * @param onChange called after a command changed what the worker does (sends a heartbeat)
   */
  public ControlListener(
      String workerId, Map<String, Object> kafka, WorkerStatus status, Runnable onChange) {
    this.workerId = workerId;
    this.status = status;
    this.onChange = onChange;
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId + "-control");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumer = new KafkaConsumer<>(c);
    this.thread = new Thread(this::run, "worker-control");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = List.of();
      while (!closing && partitions.isEmpty()) {
        partitions =
            consumer.partitionsFor(Topics.CONTROL, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        if (partitions.isEmpty()) {
          LOG.warn(
              "worker {}: topic {} not found yet; admin commands apply once the coordinator"
                  + " created it",
              workerId,
              Topics.CONTROL);
          Thread.sleep(2000);
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!closing) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
          if (workerId.equals(r.key())) {
            apply(r);
          }
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        LOG.warn("worker {}: control listener woken up unexpectedly; stopping it", workerId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error(
          "worker {}: the control listener stopped ({}); admin commands no longer reach this"
              + " worker until it restarts",
          workerId,
          e.toString(),
          e);
    } finally {
      consumer.close();
    }
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    WorkerCommand command;
    try {
      Header schema = r.headers().lastHeader(Topics.SCHEMA_HEADER);
      command = MessageRules.workerCommand(schema == null ? null : schema.value(), r.value());
    } catch (RuntimeException e) {
      LOG.warn(
          "worker {}: skipping control record at {}-{}@{}: {}",
          workerId,
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
      return;
    }
    WorkerCommand.Command before = status.control();
    status.control(command.command());
    if (before != command.command()) {
      if (command.command().pauses()) {
        LOG.warn(
            "worker {} {} by an admin ({}): takes no new jobs; the batch in progress finishes."
                + " POST /api/v1/admin/workers/{}/uncordon (or /release) to resume",
            workerId,
            command.command().applied(),
            command.reason() == null ? "no reason given" : command.reason(),
            workerId);
      } else {
        LOG.info("worker {} resumed taking jobs ({})", workerId, command.reason());
      }
      onChange.run();
    }
  }

  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
