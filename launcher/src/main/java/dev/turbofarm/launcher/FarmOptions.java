package dev.turbofarm.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to run a local farm. Start from {@link #defaults(Path)} and change what differs.
 *
 * @param home the repository root, where the built jars are
 * @param dataDir everything the farm writes: logs/, kafka/, postgres/, results/
 * @param httpPort the coordinator's HTTP port; 0 picks a free one
 * @param kafkaPort the broker's port; 0 picks a free one
 * @param postgresPort PostgreSQL's port; 0 picks a free one
 * @param freePortIfBusy when a fixed Kafka or PostgreSQL port is taken, use a free one instead of
 *     failing
 * @param workers worker processes to start
 * @param pipeline the workers' pipeline: {@code bundled} (the real model) or {@code instant} (no
 *     rendering, for overhead benchmarks)
 * @param maxBatchSize the workers' largest batch, images; null for the worker's default
 * @param maxBatchDelayMs how long a worker waits to fill a batch, ms; null for the worker's default
 * @param workerHeapMb each worker's Java heap, MiB
 * @param startTimeout how long the broker, database and coordinator each get to become ready
 * @param workerReadyTimeout how long a worker gets to load and warm its model
 * @param database the coordinator's database in the farm's PostgreSQL
 * @param workerArgs extra command-line arguments for every worker (fixtures, memory budgets)
 * @param workerEnv extra environment variables for every worker
 */
public record FarmOptions(
    Path home,
    Path dataDir,
    int httpPort,
    int kafkaPort,
    int postgresPort,
    boolean freePortIfBusy,
    int workers,
    String pipeline,
    Integer maxBatchSize,
    Integer maxBatchDelayMs,
    int workerHeapMb,
    Duration startTimeout,
    Duration workerReadyTimeout,
    String database,
    List<String> workerArgs,
    Map<String, String> workerEnv) {

  /** Coordinator port users expect, as in the README. */
  public static final int DEFAULT_HTTP_PORT = 8080;

  /** Fixed so a developer can point tools at it; not 9092, which a system Kafka may hold. */
  public static final int DEFAULT_KAFKA_PORT = 19092;

  /** Fixed so psql can reach it; not 5432, which the system's PostgreSQL may hold. */
  public static final int DEFAULT_POSTGRES_PORT = 15432;

  public FarmOptions {
    workerArgs = List.copyOf(workerArgs);
    workerEnv = Map.copyOf(workerEnv);
  }

  public static FarmOptions defaults(Path home) {
    return new FarmOptions(
        home,
        home.resolve("farm-data"),
        DEFAULT_HTTP_PORT,
        DEFAULT_KAFKA_PORT,
        DEFAULT_POSTGRES_PORT,
        true,
        2,
        "bundled",
        null,
        null,
        2048,
        // Cold JVMs on 2 shared cores: broker ~3 s, PostgreSQL ~2 s, coordinator ~10 s; 180 s is
        // the give-up point.
        Duration.ofSeconds(180),
        // Model load + warm-up render on CPU; first run also extracts libtorch (~430 MB).
        Duration.ofSeconds(300),
        "turbofarm",
        List.of(),
        Map.of());
  }

  public FarmOptions withDataDir(Path dir) {
    return new FarmOptions(
        home,
        dir,
        httpPort,
        kafkaPort,
        postgresPort,
        freePortIfBusy,
        workers,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        startTimeout,
        workerReadyTimeout,
        database,
        workerArgs,
        workerEnv);
  }

  public FarmOptions withHttpPort(int port) {
    return new FarmOptions(
        home,
        dataDir,
        port,
        kafkaPort,
        postgresPort,
        freePortIfBusy,
        workers,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        startTimeout,
        workerReadyTimeout,
        database,
        workerArgs,
        workerEnv);
  }

  public FarmOptions withKafkaPort(int port) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        port,
        postgresPort,
        freePortIfBusy,
        workers,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        startTimeout,
        workerReadyTimeout,
        database,
        workerArgs,
        workerEnv);
  }

  public FarmOptions withPostgresPort(int port) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        kafkaPort,
        port,
        freePortIfBusy,
        workers,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        startTimeout,
        workerReadyTimeout,
        database,
        workerArgs,
        workerEnv);
  }

  /** When a fixed Kafka or PostgreSQL port is taken: true uses a free one, false fails. */
  public FarmOptions withFreePortIfBusy(boolean free) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        kafkaPort,
        postgresPort,
        free,
        workers,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        startTimeout,
        workerReadyTimeout,
        database,
        workerArgs,
        workerEnv);
  }

  /** All ports picked free: for tests and benchmarks that must not clash with a running farm. */
  public FarmOptions withFreePorts() {
    return withHttpPort(0).withKafkaPort(0).withPostgresPort(0);
  }

  public FarmOptions withWorkers(int n) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        kafkaPort,
        postgresPort,
        freePortIfBusy,
        n,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        startTimeout,
        workerReadyTimeout,
        database,
        workerArgs,
        workerEnv);
  }

  public FarmOptions withPipeline(String p) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        kafkaPort,
        postgresPort,
        freePortIfBusy,
        workers,
        p,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        startTimeout,
        workerReadyTimeout,
        database,
        workerArgs,
        workerEnv);
  }

  /** Largest batch (images) and batch fill wait (ms); null keeps the worker's default. */
  public FarmOptions withBatching(Integer size, Integer delayMs) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        kafkaPort,
        postgresPort,
        freePortIfBusy,
        workers,
        pipeline,
        size,
        delayMs,
        workerHeapMb,
        startTimeout,
        workerReadyTimeout,
        database,
        workerArgs,
        workerEnv);
  }

  public FarmOptions withWorkerHeapMb(int mb) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        kafkaPort,
        postgresPort,
        freePortIfBusy,
        workers,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        mb,
        startTimeout,
        workerReadyTimeout,
        database,
        workerArgs,
        workerEnv);
  }

  public FarmOptions withStartTimeout(Duration t) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        kafkaPort,
        postgresPort,
        freePortIfBusy,
        workers,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        t,
        workerReadyTimeout,
        database,
        workerArgs,
        workerEnv);
  }

  public FarmOptions withWorkerReadyTimeout(Duration t) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        kafkaPort,
        postgresPort,
        freePortIfBusy,
        workers,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        startTimeout,
        t,
        database,
        workerArgs,
        workerEnv);
  }

  /** Extra arguments appended to every worker's command line. */
  public FarmOptions withWorkerArgs(List<String> args) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        kafkaPort,
        postgresPort,
        freePortIfBusy,
        workers,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        startTimeout,
        workerReadyTimeout,
        database,
        args,
        workerEnv);
  }

  /** Extra environment variables for every worker. */
  public FarmOptions withWorkerEnv(Map<String, String> env) {
    return new FarmOptions(
        home,
        dataDir,
        httpPort,
        kafkaPort,
        postgresPort,
        freePortIfBusy,
        workers,
        pipeline,
        maxBatchSize,
        maxBatchDelayMs,
        workerHeapMb,
        startTimeout,
        workerReadyTimeout,
        database,
        workerArgs,
        env);
  }

  /** The three artifacts a farm runs, relative to {@link #home()}. */
  public List<Path> requiredArtifacts() {
    return List.of(Farm.COORDINATOR_JAR, Farm.WORKER_JAR, Farm.LAUNCHER_LIB);
  }
}
