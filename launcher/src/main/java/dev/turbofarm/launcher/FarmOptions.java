package dev.turbofarm.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
 * @param externalServices a broker and database already running (containers, say) to use instead of
 *     starting the farm's own; null starts them
 * @param storage where results go: {@code filesystem} ({@code dataDir/results}) or {@code s3} (a
 *     local S3-protocol server the farm starts, storing under {@code dataDir/s3})
 * @param coordinatorHeapMb the coordinator's Java heap, MiB
 * @param postgresConfig extra settings of the farm's own PostgreSQL ({@code -c key=value})
 * @param coordinatorApp a coordinator build to run instead of this checkout's ({@code
 *     .../quarkus-app} folder), so a benchmark can compare two builds in one run; null runs the
 *     checkout's
 * @param coordinatorEnv extra environment variables for the coordinator ({@code TURBOFARM_*}
 *     settings)
 * @param coordinators coordinator processes on the same broker and database: the first on {@code
 *     httpPort}, the others on free ports; each with its own management port
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
    Map<String, String> workerEnv,
    ExternalServices externalServices,
    String storage,
    int coordinatorHeapMb,
    Map<String, String> postgresConfig,
    Path coordinatorApp,
    Map<String, String> coordinatorEnv,
    int coordinators) {

  /** Coordinator port users expect, as in the README. */
  public static final int DEFAULT_HTTP_PORT = 8080;

  /** Fixed so a developer can point tools at it; not 9092, which a system Kafka may hold. */
  public static final int DEFAULT_KAFKA_PORT = 19092;

  /** Fixed so psql can reach it; not 5432, which the system's PostgreSQL may hold. */
  public static final int DEFAULT_POSTGRES_PORT = 15432;

  /**
   * A broker and a database the farm uses instead of starting its own (it then cannot restart
   * them).
   *
   * @param bootstrapServers the broker's {@code host:port}
   * @param jdbcUrl the coordinator's database, which must exist
   */
  public record ExternalServices(
      String bootstrapServers, String jdbcUrl, String user, String password) {}

  public FarmOptions {
    workerArgs = List.copyOf(workerArgs);
    workerEnv = Map.copyOf(workerEnv);
    postgresConfig = Map.copyOf(postgresConfig);
    coordinatorEnv = Map.copyOf(coordinatorEnv);
    if (coordinators < 1) {
      throw new IllegalArgumentException("coordinators must be at least 1, not " + coordinators);
    }
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
        Map.of(),
        null,
        "filesystem",
        768,
        Map.of(),
        null,
        Map.of(),
        1);
  }

  /** Results in a local S3-protocol server ({@code s3}) or under {@code dataDir/results}. */
  public FarmOptions withStorage(String kind) {
    if (!kind.equals("filesystem") && !kind.equals("s3")) {
      throw new IllegalArgumentException("storage must be filesystem or s3, not " + kind);
    }
    return with(o -> o.storage = kind);
  }

  public FarmOptions withCoordinatorHeapMb(int mb) {
    return with(o -> o.coordinatorHeapMb = mb);
  }

  public FarmOptions withDataDir(Path dir) {
    return with(o -> o.dataDir = dir);
  }

  public FarmOptions withHttpPort(int port) {
    return with(o -> o.httpPort = port);
  }

  public FarmOptions withKafkaPort(int port) {
    return with(o -> o.kafkaPort = port);
  }

  public FarmOptions withPostgresPort(int port) {
    return with(o -> o.postgresPort = port);
  }

  /** When a fixed Kafka or PostgreSQL port is taken: true uses a free one, false fails. */
  public FarmOptions withFreePortIfBusy(boolean free) {
    return with(o -> o.freePortIfBusy = free);
  }

  /** All ports picked free: for tests and benchmarks that must not clash with a running farm. */
  public FarmOptions withFreePorts() {
    return withHttpPort(0).withKafkaPort(0).withPostgresPort(0);
  }

  public FarmOptions withWorkers(int n) {
    return with(o -> o.workers = n);
  }

  public FarmOptions withPipeline(String p) {
    return with(o -> o.pipeline = p);
  }

  /** Largest batch (images) and batch fill wait (ms); null keeps the worker's default. */
  public FarmOptions withBatching(Integer size, Integer delayMs) {
    return with(
        o -> {
          o.maxBatchSize = size;
          o.maxBatchDelayMs = delayMs;
        });
  }

  public FarmOptions withWorkerHeapMb(int mb) {
    return with(o -> o.workerHeapMb = mb);
  }

  public FarmOptions withStartTimeout(Duration t) {
    return with(o -> o.startTimeout = t);
  }

  public FarmOptions withWorkerReadyTimeout(Duration t) {
    return with(o -> o.workerReadyTimeout = t);
  }

  /** Extra arguments appended to every worker's command line. */
  public FarmOptions withWorkerArgs(List<String> args) {
    return with(o -> o.workerArgs = args);
  }

  /** Extra environment variables for every worker. */
  public FarmOptions withWorkerEnv(Map<String, String> env) {
    return with(o -> o.workerEnv = env);
  }

  /**
   * Extra environment variables for the coordinator, e.g. {@code
   * TURBOFARM_DISPATCHER_MAX_IN_FLIGHT}.
   */
  public FarmOptions withCoordinatorEnv(Map<String, String> env) {
    return with(o -> o.coordinatorEnv = env);
  }

  /** Use this broker and database instead of starting the farm's own; null starts them. */
  public FarmOptions withExternalServices(ExternalServices services) {
    return with(o -> o.externalServices = services);
  }

  /** Extra settings of the farm's own PostgreSQL ({@code -c key=value} at its start). */
  public FarmOptions withPostgresConfig(Map<String, String> config) {
    return with(o -> o.postgresConfig = config);
  }

  /**
   * {@code n} coordinator replicas on the farm's broker and database (the first on {@link
   * #httpPort()}, the others on free ports); {@link Farm#client()} fails over between them.
   */
  public FarmOptions withCoordinators(int n) {
    return with(o -> o.coordinators = n);
  }

  /** Runs the coordinator of another build (its {@code quarkus-app} folder); null: this one. */
  public FarmOptions withCoordinatorApp(Path quarkusApp) {
    return with(o -> o.coordinatorApp = quarkusApp);
  }

  /** The three artifacts a farm runs, relative to {@link #home()}. */
  public List<Path> requiredArtifacts() {
    return List.of(FarmBuild.COORDINATOR_JAR, FarmBuild.WORKER_JAR, FarmBuild.LAUNCHER_LIB);
  }

  /** A copy with {@code change} applied: one place that lists every field, not one per wither. */
  private FarmOptions with(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.build();
  }

  /** The fields as mutable values, for {@link #with}. */
  private static final class Fields {
    Path home;
    Path dataDir;
    int httpPort;
    int kafkaPort;
    int postgresPort;
    boolean freePortIfBusy;
    int workers;
    String pipeline;
    Integer maxBatchSize;
    Integer maxBatchDelayMs;
    int workerHeapMb;
    Duration startTimeout;
    Duration workerReadyTimeout;
    String database;
    List<String> workerArgs;
    Map<String, String> workerEnv;
    ExternalServices externalServices;
    String storage;
    int coordinatorHeapMb;
    Map<String, String> postgresConfig;
    Path coordinatorApp;
    Map<String, String> coordinatorEnv;
    int coordinators;

    Fields(FarmOptions o) {
      home = o.home;
      dataDir = o.dataDir;
      httpPort = o.httpPort;
      kafkaPort = o.kafkaPort;
      postgresPort = o.postgresPort;
      freePortIfBusy = o.freePortIfBusy;
      workers = o.workers;
      pipeline = o.pipeline;
      maxBatchSize = o.maxBatchSize;
      maxBatchDelayMs = o.maxBatchDelayMs;
      workerHeapMb = o.workerHeapMb;
      startTimeout = o.startTimeout;
      workerReadyTimeout = o.workerReadyTimeout;
      database = o.database;
      workerArgs = o.workerArgs;
      workerEnv = o.workerEnv;
      externalServices = o.externalServices;
      storage = o.storage;
      coordinatorHeapMb = o.coordinatorHeapMb;
      postgresConfig = o.postgresConfig;
      coordinatorApp = o.coordinatorApp;
      coordinatorEnv = o.coordinatorEnv;
      coordinators = o.coordinators;
    }

    FarmOptions build() {
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
          workerEnv,
          externalServices,
          storage,
          coordinatorHeapMb,
          postgresConfig,
          coordinatorApp,
          coordinatorEnv,
          coordinators);
    }
  }
}
