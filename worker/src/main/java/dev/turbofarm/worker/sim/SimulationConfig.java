package dev.turbofarm.worker.sim;

import java.time.Duration;

/**
 * SIMULATION ONLY: the settings of one process of simulated workers ({@code turbofarm-worker
 * --simulate N}).
 *
 * @param idPrefix worker ids are {@code <idPrefix>-sim-001} and so on
 * @param bootstrapServers Kafka bootstrap servers, host:port[,host:port]
 * @param healthPort HTTP port of /health/live and /health/ready for the whole process; 0 = any
 * @param workers virtual workers, each heartbeating and tracked by the coordinator as a worker
 * @param consumers share consumers the virtual workers share; each serves an equal slice of them
 * @param maxBatchSize most images one virtual worker renders in one batch
 * @param renderTime how long a batch takes
 * @param pollTimeout how long one poll waits on an empty queue
 * @param heartbeatInterval time between one virtual worker's heartbeats
 * @param seed seed of the render-time draws, so two runs draw the same times
 */
public record SimulationConfig(
    String idPrefix,
    String bootstrapServers,
    int healthPort,
    int workers,
    int consumers,
    int maxBatchSize,
    RenderTime renderTime,
    Duration pollTimeout,
    Duration heartbeatInterval,
    long seed) {

  public SimulationConfig {
    if (workers < 1) {
      throw new IllegalArgumentException("--simulate needs at least 1 virtual worker");
    }
    if (consumers < 1 || consumers > workers) {
      throw new IllegalArgumentException(
          "--sim-consumers must be from 1 to the number of virtual workers (" + workers + ")");
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size must be at least 1 in a simulation");
    }
  }

  /** The id of virtual worker {@code i} (1-based). */
  public String workerId(int i) {
    return String.format("%s-sim-%03d", idPrefix, i);
  }
}
