package dev.turbofarm.worker;

import dev.turbofarm.common.messaging.KafkaSettings;
import dev.turbofarm.model.api.PipelineProvider;
import dev.turbofarm.store.StorageSettings;
import dev.turbofarm.worker.pipeline.PipelineCatalog;
import dev.turbofarm.worker.sim.RenderTime;
import dev.turbofarm.worker.sim.SimulatedWorkers;
import dev.turbofarm.worker.sim.SimulationConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code turbofarm-worker}: one worker process per GPU (or CPU, for the bundled model). */
@Command(
    name = "turbofarm-worker",
    mixinStandardHelpOptions = true,
    description = "Renders TurboFarm jobs from Kafka with a warm model; drains on SIGTERM.")
public final class WorkerMain implements Callable<Integer> {

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
      description =
          "Kafka bootstrap servers (env KAFKA_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}")
  String bootstrapServers;

  @Option(
      names = "--kafka-security-protocol",
      defaultValue = "${env:KAFKA_SECURITY_PROTOCOL}",
      description =
          "Kafka security.protocol, e.g. SASL_PLAINTEXT or SASL_SSL (env KAFKA_SECURITY_PROTOCOL)."
              + " Default: PLAINTEXT")
  String kafkaSecurityProtocol;

  @Option(
      names = "--kafka-sasl-mechanism",
      defaultValue = "${env:KAFKA_SASL_MECHANISM}",
      description = "Kafka sasl.mechanism, e.g. SCRAM-SHA-512 (env KAFKA_SASL_MECHANISM)")
  String kafkaSaslMechanism;

  /** Not an option: a password belongs in the environment, not on a command line ps shows. */
  private static final String SASL_JAAS_CONFIG_ENV = "KAFKA_SASL_JAAS_CONFIG";

  @Option(
      names = "--worker-id",
      defaultValue = "${env:TURBOFARM_WORKER_ID}",
      description =
          "Stable worker id (env TURBOFARM_WORKER_ID). Default: host name + random suffix")
  String workerId;

  @Option(
      names = "--storage",
      defaultValue = "${env:TURBOFARM_STORAGE:-filesystem}",
      description =
          "Result store (env TURBOFARM_STORAGE): filesystem (--result-root, a shared volume on a"
              + " multi-host farm) or s3 (the --s3-* settings). Default: ${DEFAULT-VALUE}")
  String storage;

  @Option(
      names = "--result-root",
      defaultValue = "${env:TURBOFARM_RESULT_ROOT:-farm-data/results}",
      description =
          "Directory of the filesystem store (env TURBOFARM_RESULT_ROOT). Default: ${DEFAULT-VALUE}")
  Path resultRoot;

  @Option(
      names = "--s3-endpoint",
      defaultValue = "${env:TURBOFARM_S3_ENDPOINT}",
      description =
          "S3 endpoint URL (env TURBOFARM_S3_ENDPOINT), e.g. http://minio:9000. Default: AWS S3")
  java.net.URI s3Endpoint;

  @Option(
      names = "--s3-region",
      defaultValue = "${env:TURBOFARM_S3_REGION:-us-east-1}",
      description = "S3 signing region (env TURBOFARM_S3_REGION). Default: ${DEFAULT-VALUE}")
  String s3Region;

  @Option(
      names = "--s3-bucket",
      defaultValue = "${env:TURBOFARM_S3_BUCKET:-turbofarm}",
      description = "S3 bucket (env TURBOFARM_S3_BUCKET). Default: ${DEFAULT-VALUE}")
  String s3Bucket;

  @Option(
      names = "--s3-prefix",
      defaultValue = "${env:TURBOFARM_S3_PREFIX:-}",
      description = "Prefix of every key in the bucket (env TURBOFARM_S3_PREFIX). Default: none")
  String s3Prefix;

  @Option(
      names = "--s3-path-style",
      defaultValue = "${env:TURBOFARM_S3_PATH_STYLE:-true}",
      arity = "1",
      description =
          "Path-style URLs, as MinIO and s3proxy need (env TURBOFARM_S3_PATH_STYLE). Default:"
              + " ${DEFAULT-VALUE}")
  boolean s3PathStyle;

  @Option(
      names = "--s3-access-key",
      defaultValue = "${env:TURBOFARM_S3_ACCESS_KEY}",
      description =
          "S3 access key id (env TURBOFARM_S3_ACCESS_KEY). Default: the AWS SDK's credential"
              + " chain")
  String s3AccessKey;

  /** From the environment only: a secret on the command line shows in every process list. */
  String s3SecretKey = System.getenv("TURBOFARM_S3_SECRET_KEY");

  @Option(
      names = "--health-port",
      defaultValue = "${env:TURBOFARM_HEALTH_PORT:-8091}",
      description = "Port of /health/live and /health/ready; 0 = any. Default: ${DEFAULT-VALUE}")
  int healthPort;

  @Option(
      names = "--pipeline",
      defaultValue = "${env:TURBOFARM_PIPELINE:-bundled}",
      description =
          "Name of the pipeline provider that renders (env TURBOFARM_PIPELINE): bundled (the"
              + " trained model), instant (benchmark stub), or any other on the class path or"
              + " --pipeline-path. Default: ${DEFAULT-VALUE}")
  String pipeline;

  @Option(
      names = "--pipeline-path",
      defaultValue = "${env:TURBOFARM_PIPELINE_PATH}",
      description =
          "Extra jars or class folders searched for pipeline providers, separated by '"
              + "${sys:path.separator}' (env TURBOFARM_PIPELINE_PATH). Default: none")
  String pipelinePath;

  @Option(
      names = "--max-batch-size",
      defaultValue = "${env:TURBOFARM_MAX_BATCH_SIZE:-0}",
      description =
          "Most images per sampler batch; 0 = the model's measured recommendation (bundled: 8). Default: ${DEFAULT-VALUE}")
  int maxBatchSize;

  @Option(
      names = "--memory-budget-pixels",
      defaultValue = "${env:TURBOFARM_MEMORY_BUDGET_PIXELS:-16777216}",
      description =
          "Most pixels (width x height x images) one batch may hold; bigger batches are split, a"
              + " single bigger image fails or uses the job's fallback profile. Default: ${DEFAULT-VALUE}"
              + " (four 2048x2048 images)")
  long memoryBudgetPixels;

  @Option(
      names = "--max-batch-delay-ms",
      defaultValue = "${env:TURBOFARM_MAX_BATCH_DELAY_MS:-0}",
      description =
          "Longest extra wait for jobs to fill a batch while they trickle in, ms. Default: ${DEFAULT-VALUE}")
  long maxBatchDelayMs;

  @Option(
      names = "--poll-timeout-ms",
      defaultValue = "500",
      description = "How long one poll waits on an empty queue, ms. Default: ${DEFAULT-VALUE}")
  long pollTimeoutMs;

  @Option(
      names = "--heartbeat-interval-ms",
      defaultValue = "2000",
      description = "Time between heartbeats, ms. Default: ${DEFAULT-VALUE}")
  long heartbeatMs;

  @Option(
      names = "--drain-timeout-s",
      defaultValue = "120",
      description =
          "How long SIGTERM waits for the batch in progress, s. Default: ${DEFAULT-VALUE}")
  long drainTimeoutS;

  @Option(
      names = "--simulate",
      defaultValue = "0",
      description =
          "SIMULATION, for capacity tests only: run this many virtual workers in this process"
              + " instead of a real one; they render nothing (no model, no images) and take"
              + " --render-ms per batch. 0 = a real worker. Default: ${DEFAULT-VALUE}")
  int simulate;

  @Option(
      names = "--render-ms",
      defaultValue = "20",
      description =
          "With --simulate: time per simulated batch: MS (fixed), MEDIAN_MS:lognormal:SIGMA or"
              + " cost:MS_PER_MEGAPIXEL_STEP[:BASE_MS]. Default: ${DEFAULT-VALUE}")
  String renderMs;

  @Option(
      names = "--sim-consumers",
      defaultValue = "0",
      description =
          "With --simulate: share consumers the virtual workers share; 0 = one per 50 virtual"
              + " workers, at least 1. Default: ${DEFAULT-VALUE}")
  int simConsumers;

  @Option(
      names = "--sim-seed",
      defaultValue = "1",
      description = "With --simulate: seed of the render-time draws. Default: ${DEFAULT-VALUE}")
  long simSeed;

  /** Virtual workers per shared share consumer when --sim-consumers is not given. */
  private static final int VIRTUAL_WORKERS_PER_CONSUMER = 50;

  /** A simulated worker's max batch when none is given: the bundled model's recommendation. */
  private static final int SIM_DEFAULT_MAX_BATCH = 8;

  @Override
  public Integer call() throws Exception {
    if (simulate > 0) {
      return simulate();
    }
    // An unknown name fails here, before the worker connects to anything.
    PipelineProvider provider =
        PipelineCatalog.discover(PipelineCatalog.parsePath(pipelinePath)).provider(pipeline);
    WorkerConfig config =
        new WorkerConfig(
            workerId == null || workerId.isBlank() ? defaultId() : workerId,
            bootstrapServers,
            storageSettings(),
            healthPort,
            pipeline,
            maxBatchSize,
            memoryBudgetPixels,
            Duration.ofMillis(maxBatchDelayMs),
            Duration.ofMillis(pollTimeoutMs),
            Duration.ofMillis(heartbeatMs),
            Duration.ofSeconds(drainTimeoutS),
            kafkaSecurity());
    Worker worker = new Worker(config, provider::load);
    // SIGTERM and Ctrl-C drain: the batch in progress finishes and is acknowledged, then the
    // process exits 0 (1 when the drain timed out). Other exits still drain through the hook.
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(
          new sun.misc.Signal(name),
          sig -> new Thread(() -> System.exit(worker.drain() ? 0 : 1), "drain-on-" + name).start());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "drain"));
    worker.run();
    return 0;
  }

  /**
   * The Kafka security settings from the options and {@code KAFKA_SASL_JAAS_CONFIG} (the worker's
   * credential, for example {@code org.apache.kafka.common.security.scram.ScramLoginModule required
   * username="worker" password="...";}); with the same names the coordinator reads.
   */
  private Map<String, String> kafkaSecurity() {
    Map<String, String> s = new HashMap<>();
    if (kafkaSecurityProtocol != null && !kafkaSecurityProtocol.isBlank()) {
      s.put("security.protocol", kafkaSecurityProtocol);
    }
    if (kafkaSaslMechanism != null && !kafkaSaslMechanism.isBlank()) {
      s.put("sasl.mechanism", kafkaSaslMechanism);
    }
    String jaas = System.getenv(SASL_JAAS_CONFIG_ENV);
    if (jaas != null && !jaas.isBlank()) {
      s.put("sasl.jaas.config", jaas);
    }
    return KafkaSettings.security(s);
  }

  private StorageSettings storageSettings() {
    if (StorageSettings.S3.equals(storage)) {
      return StorageSettings.s3(
          new StorageSettings.S3(
              s3Endpoint,
              s3Region,
              s3Bucket,
              s3Prefix,
              s3PathStyle,
              s3AccessKey,
              s3SecretKey,
              false));
    }
    if (!StorageSettings.FILESYSTEM.equals(storage)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--storage must be filesystem or s3, not " + storage);
    }
    return StorageSettings.filesystem(resultRoot);
  }

  /** Runs virtual workers instead of a real one (capacity tests only). */
  private int simulate() throws Exception {
    SimulationConfig config =
        new SimulationConfig(
            workerId == null || workerId.isBlank() ? defaultId() : workerId,
            bootstrapServers,
            healthPort,
            simulate,
            simConsumers > 0
                ? simConsumers
                : Math.max(
                    1,
                    (simulate + VIRTUAL_WORKERS_PER_CONSUMER - 1) / VIRTUAL_WORKERS_PER_CONSUMER),
            maxBatchSize > 0 ? maxBatchSize : SIM_DEFAULT_MAX_BATCH,
            RenderTime.parse(renderMs),
            Duration.ofMillis(pollTimeoutMs),
            Duration.ofMillis(heartbeatMs),
            simSeed);
    SimulatedWorkers sim = new SimulatedWorkers(config);
    Duration drain = Duration.ofSeconds(drainTimeoutS);
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(
          new sun.misc.Signal(name),
          sig ->
              new Thread(() -> System.exit(sim.drain(drain) ? 0 : 1), "drain-on-" + name).start());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> sim.drain(drain), "drain"));
    sim.run();
    return 0;
  }

  private static String defaultId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "worker";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new WorkerMain());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("turbofarm-worker: " + e.getMessage());
          return 1;
        });
    cli.setParameterExceptionHandler(
        (e, args2) -> {
          e.getCommandLine().getErr().println("turbofarm-worker: " + e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return 2;
        });
    System.exit(cli.execute(args));
  }
}
