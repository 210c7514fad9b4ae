package dev.turbofarm.launcher;

import static dev.turbofarm.launcher.FarmBuild.checkBuilt;
import static dev.turbofarm.launcher.FarmBuild.workerJar;

import dev.turbofarm.embedded.Ports;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local farm: a KRaft broker, PostgreSQL, one or more coordinators and N workers, each its own
 * process as in production, with their output in {@code dataDir/logs/NAME.log}. Used by the {@code
 * farm} command, the whole-farm integration tests and the benchmarks. With several coordinators
 * ({@link FarmOptions#coordinators()}) there is no balancer in front of them: {@link #client()}
 * fails over between their URLs, as a production client behind a load balancer would see it
 * (docs/adr/0018-coordinator-replicas-client-failover.md).
 *
 * <p>Everything it starts is stopped by {@link #close()} and, should the launcher be stopped by a
 * signal, by a shutdown hook: workers first (they finish their batch while Kafka still runs), then
 * the coordinator, then the broker and the database.
 */
public final class Farm implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Farm.class);

  /**
   * A worker's SIGTERM drains its current batch; a draft batch on CPU takes seconds, 60 s is the
   * limit.
   */
  private static final Duration WORKER_STOP_GRACE = Duration.ofSeconds(60);

  /**
   * A worker's grace when the broker is already gone, s: enough for its JVM to run its shutdown
   * hooks.
   */
  private static final Duration NO_BROKER_STOP_GRACE = Duration.ofSeconds(5);

  /** Team of the farm's own warm-up jobs, so analysts can leave them out. */
  public static final String WARM_UP_TEAM = "farm-warmup";

  /** How a worker is stopped in {@link #stopWorker(int, Signal)}. */
  public enum Signal {
    /** SIGTERM: the worker finishes its batch and exits. */
    TERM,
    /** SIGKILL: the worker dies mid-batch; its jobs are redelivered after the lock timeout. */
    KILL
  }

  /** One worker process. */
  public static final class Worker {
    private final String id;
    private final int healthPort;
    private final ChildProcess process;

    Worker(String id, int healthPort, ChildProcess process) {
      this.id = id;
      this.healthPort = healthPort;
      this.process = process;
    }

    public String id() {
      return id;
    }

    public int healthPort() {
      return healthPort;
    }

    public long pid() {
      return process.pid();
    }

    public Path log() {
      return process.log();
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    public URI readyUrl() {
      return URI.create("http://127.0.0.1:" + healthPort + "/health/ready");
    }

    @Override
    public String toString() {
      return id + " (pid " + pid() + ", health port " + healthPort + ", log " + log() + ")";
    }
  }

  /**
   * One coordinator process.
   *
   * @param name its service name: {@code coordinator}, {@code coordinator-2}...; its log is {@code
   *     logs/<name>.log}
   * @param httpPort its API
   * @param managementPort its health and metrics
   */
  public record Coordinator(String name, int httpPort, int managementPort) {
    public URI url() {
      return URI.create("http://localhost:" + httpPort);
    }

    public URI managementUrl() {
      return URI.create("http://localhost:" + managementPort);
    }
  }

  private final FarmOptions options;
  private final Path logDir;
  private final Path resultRoot;
  private final List<Worker> workers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<String> failure = new CompletableFuture<>();
  private final Thread shutdownHook;
  private FarmLock lock;
  private ServiceProcesses services;
  private int workerSeq;
  private String bootstrapServers;
  private final List<Coordinator> coordinators = new CopyOnWriteArrayList<>();
  private String adminKey;

  private Farm(FarmOptions options) {
    this.options = options;
    this.logDir = options.dataDir().resolve("logs");
    this.resultRoot = options.dataDir().resolve("results");
    this.shutdownHook = new Thread(this::closeFromHook, "farm-shutdown");
  }

  /**
   * Starts the whole farm and returns when every worker is warm.
   *
   * @throws FarmException naming the part that failed and its log file; whatever had started is
   *     stopped
   */
  public static Farm start(FarmOptions options) {
    Farm farm = new Farm(options);
    Runtime.getRuntime().addShutdownHook(farm.shutdownHook);
    try {
      farm.startAll();
      return farm;
    } catch (RuntimeException e) {
      farm.close();
      throw e;
    }
  }

  private void startAll() {
    long t0 = System.nanoTime();
    Path home = options.home().toAbsolutePath();
    checkBuilt(home);
    // Before the port checks: leftovers of a killed farm on this data dir may hold the ports.
    lock = FarmLock.acquire(options.dataDir().toAbsolutePath());
    services = new ServiceProcesses(options, logDir, lock, closing, failure);
    // The first coordinator on the port users expect; replicas and every management interface
    // (health and metrics, never on the API port) on free ports, none drawn twice.
    java.util.Set<Integer> taken = new java.util.HashSet<>();
    int firstHttp = FarmPorts.http(options.httpPort());
    taken.add(firstHttp);
    for (int i = 1; i <= options.coordinators(); i++) {
      int http = i == 1 ? firstHttp : freePortNotIn(taken);
      coordinators.add(
          new Coordinator(i == 1 ? "coordinator" : "coordinator-" + i, http, freePortNotIn(taken)));
    }
    // The data directory's own admin key: the coordinator stores its hash at start (idempotent).
    adminKey = FarmKeys.ensure(options.dataDir().toAbsolutePath());
    try {
      Files.createDirectories(logDir);
      Files.createDirectories(resultRoot);
    } catch (IOException e) {
      throw new FarmException(
          "cannot create " + logDir + " or " + resultRoot + ": " + e.getMessage(), e);
    }
    if (options.externalServices() != null) {
      services.useExternal(options.externalServices());
    } else {
      services.startBrokerAndDatabase(
          FarmPorts.service(
              "Kafka", options.kafkaPort(), "FARM_KAFKA_PORT", options.freePortIfBusy()),
          FarmPorts.service(
              "PostgreSQL", options.postgresPort(), "FARM_PG_PORT", options.freePortIfBusy()));
    }
    bootstrapServers = services.bootstrapServers();
    if (options.storage().equals("s3")) {
      services.startS3();
    }
    // The first coordinator migrates the schema and creates the topics (and the local bucket), so
    // the replicas and the workers start once it is ready.
    for (Coordinator c : coordinators) {
      services.startCoordinator(
          c.name(),
          c.httpPort(),
          c.managementPort(),
          adminKey,
          c.managementUrl(),
          services.coordinatorStorageEnv(resultRoot));
    }

    List<Worker> started = new ArrayList<>();
    for (int i = 0; i < options.workers(); i++) {
      started.add(launchWorker(options.pipeline()));
    }
    for (Worker w : started) {
      w.process.awaitHttpOk(w.readyUrl(), options.workerReadyTimeout());
      LOG.info("worker {} warm (pid {}, log {})", w.id(), w.pid(), w.log());
    }
    PathWarmUp.run(client(), workers.size(), options.workerReadyTimeout());
    LOG.info(
        "farm ready in {} s: coordinator {}, kafka {}, postgres {}, {} worker(s) on the {} pipeline, results {}, logs {}",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0),
        coordinatorUrls().size() == 1 ? coordinatorUrl() : coordinatorUrls(),
        bootstrapServers,
        jdbcUrl(),
        workers.size(),
        options.pipeline(),
        storageDescription(),
        logDir);
  }

  private static int freePortNotIn(java.util.Set<Integer> taken) {
    int port;
    do {
      port = Ports.freePort();
    } while (!taken.add(port));
    return port;
  }

  /** Starts one more worker on the farm's pipeline and waits until it is warm. */
  public Worker startWorker() {
    return startWorker(options.pipeline());
  }

  /** Starts one more worker on {@code pipeline} and waits until it is warm. */
  public Worker startWorker(String pipeline) {
    Worker w = launchWorker(pipeline);
    w.process.awaitHttpOk(w.readyUrl(), options.workerReadyTimeout());
    LOG.info("worker {} warm (pid {}, log {})", w.id(), w.pid(), w.log());
    return w;
  }

  private synchronized Worker launchWorker(String pipeline) {
    String id = "worker-" + (++workerSeq);
    int healthPort = Ports.freePort();
    Path home = options.home().toAbsolutePath();
    int threads = threadsPerWorker();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-Xmx" + options.workerHeapMb() + "m",
                // A fixed heap: a worker's heap otherwise shrinks after start-up and G1 then runs
                // concurrent cycles while the first jobs render (seen in -Xlog:gc, first-job
                // bench).
                "-Xms" + options.workerHeapMb() + "m",
                "-jar",
                workerJar(home).toString(),
                "--bootstrap-servers",
                bootstrapServers,
                "--worker-id",
                id,
                "--result-root",
                resultRoot.toAbsolutePath().toString(),
                "--storage",
                options.storage(),
                "--health-port",
                Integer.toString(healthPort),
                "--pipeline",
                pipeline));
    if (options.maxBatchSize() != null) {
      cmd.addAll(List.of("--max-batch-size", options.maxBatchSize().toString()));
    }
    if (options.maxBatchDelayMs() != null) {
      cmd.addAll(List.of("--max-batch-delay-ms", options.maxBatchDelayMs().toString()));
    }
    Map<String, String> env = new java.util.HashMap<>(options.workerEnv());
    if (services.s3Endpoint() != null) {
      cmd.addAll(
          List.of(
              "--s3-endpoint",
              services.s3Endpoint(),
              "--s3-bucket",
              ServiceProcesses.S3_BUCKET,
              "--s3-access-key",
              dev.turbofarm.embedded.LocalS3.ACCESS_KEY));
      // The secret travels in the environment only, never on a command line.
      env.put("TURBOFARM_S3_SECRET_KEY", dev.turbofarm.embedded.LocalS3.SECRET_KEY);
    }
    cmd.addAll(options.workerArgs());
    ChildProcess p = ChildProcess.start(id, cmd, env, home, logDir.resolve(id + ".log"));
    lock.recordChild(p.pid(), id);
    Worker w = new Worker(id, healthPort, p);
    workers.add(w);
    p.process()
        .onExit()
        .thenAccept(
            proc -> {
              if (!closing.get() && proc.exitValue() != 0) {
                LOG.error(
                    "{} exited with code {} while the farm runs; its jobs go to the other workers after the lock timeout. See {}",
                    id,
                    proc.exitValue(),
                    p.log());
              }
            });
    return w;
  }

  /** On CPU the workers share the machine's cores; each gets its share so they do not thrash. */
  public int threadsPerWorker() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, options.workers()));
  }

  /** Stops worker {@code index} (0-based, in start order) with SIGTERM (drain) or SIGKILL. */
  public void stopWorker(int index, Signal signal) {
    Worker w = workers.get(index);
    if (signal == Signal.KILL) {
      LOG.info("killing {} (SIGKILL)", w);
      w.process.kill();
    } else {
      LOG.info("stopping {} (SIGTERM)", w);
      w.process.stop(WORKER_STOP_GRACE);
    }
  }

  /**
   * SIGKILL {@code worker}: it dies mid-batch and its jobs are redelivered after the lock timeout.
   */
  public void killWorker(Worker worker) {
    LOG.info("killing {} (SIGKILL)", worker);
    worker.process.kill();
  }

  /**
   * Stops the service {@code name} ({@code postgres}, {@code kafka}, {@code coordinator} or a
   * replica's {@code coordinator-N}) with {@code signal}, leaves it down for {@code downtime}, then
   * starts it again on the same ports and data and waits until it is ready. The rest of the farm
   * keeps running throughout.
   */
  public void restartService(String name, Signal signal, Duration downtime) {
    services.restart(name, signal, downtime);
  }

  /**
   * The process id of the farm's own service {@code name} ({@code coordinator}, {@code
   * coordinator-N}, {@code kafka} or {@code postgres}, the JVM that runs it), or -1 when it does
   * not run.
   */
  public long servicePid(String name) {
    return services.pid(name);
  }

  /** The first coordinator's API. */
  public URI coordinatorUrl() {
    return coordinators.get(0).url();
  }

  /** The first coordinator's management interface: {@code /q/health}, {@code /q/metrics}. */
  public URI managementUrl() {
    return coordinators.get(0).managementUrl();
  }

  /** Every coordinator, the first one first. */
  public List<Coordinator> coordinators() {
    return List.copyOf(coordinators);
  }

  /** Every coordinator's API, the first one first. */
  public List<URI> coordinatorUrls() {
    return coordinators.stream().map(Coordinator::url).toList();
  }

  /** The farm's admin key ({@code <data dir>/admin.key}). */
  public String adminKey() {
    return adminKey;
  }

  /** Where the admin key is written. */
  public Path adminKeyFile() {
    return FarmKeys.file(options.dataDir().toAbsolutePath());
  }

  /**
   * A client of the coordinators' API that sends the farm's admin key; with several coordinators it
   * fails over to the next one when one cannot be reached or answers 503.
   */
  public FarmClient client() {
    return new FarmClient(coordinatorUrls(), adminKey);
  }

  public String jdbcUrl() {
    return services.jdbcUrl();
  }

  public String dbUser() {
    return services.dbUser();
  }

  public String dbPassword() {
    return services.dbPassword();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path resultRoot() {
    return resultRoot;
  }

  /** Where results go, for people: the result root, or the local S3 server's bucket. */
  public String storageDescription() {
    return services != null && services.s3Endpoint() != null
        ? "s3://" + ServiceProcesses.S3_BUCKET + " at " + services.s3Endpoint()
        : resultRoot.toString();
  }

  /** The local S3 server's URL; null when results go to the filesystem. */
  public String s3Endpoint() {
    return services == null ? null : services.s3Endpoint();
  }

  public Path logDir() {
    return logDir;
  }

  public FarmOptions options() {
    return options;
  }

  public List<Worker> workers() {
    return Collections.unmodifiableList(workers);
  }

  /**
   * Blocks until the broker, database or coordinator dies (returns why) or the farm is closed
   * (returns null). Used by {@code farm up}, which runs until Ctrl-C.
   */
  public String awaitFailure() throws InterruptedException {
    try {
      return failure.get();
    } catch (ExecutionException e) {
      return e.getCause().toString();
    }
  }

  /** Stops everything this farm started, workers first. Safe to call twice. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running or about to run close() itself
    }
    stopAll();
  }

  private void closeFromHook() {
    LOG.info("launcher stopping: stopping the farm's processes");
    stopAll();
  }

  private void stopAll() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    failure.complete(null);
    long t0 = System.nanoTime();
    // Workers drain in parallel, while the broker still takes their results. With the broker gone
    // a drain cannot finish (nothing to publish to), so waiting the full grace only delays the
    // stop.
    boolean brokerUp =
        services != null && (services.brokerUp() || options.externalServices() != null);
    Duration workerGrace = brokerUp ? WORKER_STOP_GRACE : NO_BROKER_STOP_GRACE;
    List<CompletableFuture<Void>> drains = new ArrayList<>();
    for (Worker w : workers) {
      drains.add(CompletableFuture.runAsync(() -> w.process.stop(workerGrace)));
    }
    drains.forEach(CompletableFuture::join);
    if (services != null) {
      services.stopAll();
    }
    if (lock != null) {
      lock.close();
    }
    if ((services != null && services.anyStarted()) || !workers.isEmpty()) {
      LOG.info("farm stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
  }
}
