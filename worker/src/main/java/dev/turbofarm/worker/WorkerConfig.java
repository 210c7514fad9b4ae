package dev.turbofarm.worker;

import dev.turbofarm.store.StorageSettings;
import java.time.Duration;
import java.util.Map;

/**
 * A worker's settings, typed. Built by {@link WorkerMain} from flags and environment.
 *
 * @param workerId stable id of this worker in heartbeats and results
 * @param bootstrapServers Kafka bootstrap servers, host:port[,host:port]
 * @param storage the result store images and thumbnails are written to: a directory (shared by all
 *     hosts in production) or an S3 bucket; the coordinator reads the same one
 * @param healthPort HTTP port of /health/live and /health/ready; 0 picks a free one
 * @param pipeline name of the pipeline provider that renders: {@code bundled} (the trained model),
 *     {@code instant} (a benchmark stub that draws a flat colour, never for real work) or another
 *     provider found on the class path
 * @param maxBatchSize most images in one sampler batch; 0 takes the model's measured recommendation
 * @param memoryBudgetPixels most pixels (width x height x images) one batch may hold; larger
 *     batches are split, a single larger image fails or uses the job's fallback profile
 * @param maxBatchDelay longest extra wait for more jobs to fill a batch while jobs trickle in
 * @param pollTimeout how long one poll for jobs waits when the queue is empty
 * @param heartbeatInterval time between heartbeats
 * @param drainTimeout how long SIGTERM waits for the batch in progress before leaving
 * @param kafkaSecurity Kafka client security settings ({@code security.protocol}, {@code sasl.*},
 *     {@code ssl.*}) added to every client; empty on a PLAINTEXT broker
 */
public record WorkerConfig(
    String workerId,
    String bootstrapServers,
    StorageSettings storage,
    int healthPort,
    String pipeline,
    int maxBatchSize,
    long memoryBudgetPixels,
    Duration maxBatchDelay,
    Duration pollTimeout,
    Duration heartbeatInterval,
    Duration drainTimeout,
    Map<String, String> kafkaSecurity) {

  /** A worker on a PLAINTEXT broker. */
  public WorkerConfig(
      String workerId,
      String bootstrapServers,
      StorageSettings storage,
      int healthPort,
      String pipeline,
      int maxBatchSize,
      long memoryBudgetPixels,
      Duration maxBatchDelay,
      Duration pollTimeout,
      Duration heartbeatInterval,
      Duration drainTimeout) {
    this(
        workerId,
        bootstrapServers,
        storage,
        healthPort,
        pipeline,
        maxBatchSize,
        memoryBudgetPixels,
        maxBatchDelay,
        pollTimeout,
        heartbeatInterval,
        drainTimeout,
        Map.of());
  }

  public WorkerConfig {
    kafkaSecurity = Map.copyOf(kafkaSecurity);
    if (maxBatchSize < 0) {
      throw new IllegalArgumentException(
          "max batch size must be at least 1 (or 0 for the model's recommendation), got "
              + maxBatchSize);
    }
    if (memoryBudgetPixels < 1) {
      throw new IllegalArgumentException(
          "memory budget must be at least 1 pixel, got " + memoryBudgetPixels);
    }
  }
}
