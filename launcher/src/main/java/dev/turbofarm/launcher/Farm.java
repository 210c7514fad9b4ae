package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbofarm.embedded.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local farm: a KRaft broker, PostgreSQL, the coordinator and N workers, each its own process as
 * in production, with their output in {@code dataDir/logs/NAME.log}. Used by the {@code farm}
 * command, the whole-farm integration tests and the benchmarks.
 *
 * <p>Everything it starts is stopped by {@link #close()} and, should the launcher be stopped by a
 * signal, by a shutdown hook: workers first (they finish their batch while Kafka still runs), then
 * the coordinator, then the broker and the database.
 */
public final class Farm implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Farm.class);

  static final Path COORDINATOR_JAR = Path.of("coordinator/target/quarkus-app/quarkus-run.jar");
  static final Path WORKER_JAR = Path.of("worker/target/turbofarm-worker-0.1.0-SNAPSHOT.jar");
  static final Path LAUNCHER_LIB = Path.of("launcher/target/lib");

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

  /** Coordinator, broker and database stop in a few seconds; 30 s before SIGKILL. */
  private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);

  /** Heap of the broker process, MiB: a one-node broker with a few topics needs far less. */
  private static final int KAFKA_HEAP_MB = 768;

  /** Heap of the JVM that babysits PostgreSQL, MiB: it only runs pg_ctl and waits. */
  private static final int POSTGRES_HEAP_MB = 128;

  /** Heap of the coordinator, MiB. */
  private static final int COORDINATOR_HEAP_MB = 768;

  /** How a worker is stopped in {@link #stopWorker(int, Signal)}. */
  public enum Signal {
    /** SIGTERM: the worker finishes its batch and exits. */
    TERM,
    /** SIGKILL: the worker dies mid-batch; its jobs are redelivered after the lock timeout. */
    KILL
  }

  private record ServiceSpec(List<String> command, Map<String, String> env) {}

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

  private final FarmOptions options;
  private final Path logDir;
  private final Path resultRoot;
  private final List<ChildProcess> services = new CopyOnWriteArrayList<>();

  /** How each service was started, so {@link #restartService} can start it again the same way. */
  private final Map<String, ServiceSpec> specs = new ConcurrentHashMap<>();

  /** Processes stopped on purpose (a restart): their exit is not a failure of the farm. */
  private final Set<ChildProcess> expectedExits = ConcurrentHashMap.newKeySet();

  private final List<Worker> workers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<String> failure = new CompletableFuture<>();
  private final Thread shutdownHook;
  private FarmLock lock;
  private int workerSeq;
  private String bootstrapServers;
  private String jdbcUrl;
  private int postgresPort;
  private int httpPort;

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
    httpPort = resolveHttpPort(options.httpPort());
    int kafkaPort = resolvePort("Kafka", options.kafkaPort(), "FARM_KAFKA_PORT");
    int pgPort = resolvePort("PostgreSQL", options.postgresPort(), "FARM_PG_PORT");
    try {
      Files.createDirectories(logDir);
      Files.createDirectories(resultRoot);
    } catch (IOException e) {
      throw new FarmException(
          "cannot create " + logDir + " or " + resultRoot + ": " + e.getMessage(), e);
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String libCp = home.resolve(LAUNCHER_LIB) + "/*";
    String parentPid = Long.toString(ProcessHandle.current().pid());

    // Broker and database start side by side: each takes a few seconds of mostly waiting.
    ChildProcess postgres =
        startService(
            "postgres",
            List.of(
                javaBin,
                "-Xmx" + POSTGRES_HEAP_MB + "m",
                "-cp",
                libCp,
                "dev.turbofarm.embedded.LocalPostgresMain",
                "--dir",
                options.dataDir().resolve("postgres").toAbsolutePath().toString(),
                "--port",
                Integer.toString(pgPort),
                "--database",
                options.database(),
                "--parent-pid",
                parentPid),
            Map.of());
    ChildProcess kafka =
        startService(
            "kafka",
            List.of(
                javaBin,
                "-Xmx" + KAFKA_HEAP_MB + "m",
                "-cp",
                libCp,
                "dev.turbofarm.embedded.EmbeddedKafkaMain",
                "--dir",
                options.dataDir().resolve("kafka").toAbsolutePath().toString(),
                "--port",
                Integer.toString(kafkaPort),
                "--parent-pid",
                parentPid),
            Map.of());
    awaitReady(postgres);
    awaitReady(kafka);

    // The coordinator creates the topics, so workers start once it is ready.
    ChildProcess coordinator =
        startService(
            "coordinator",
            List.of(
                javaBin,
                "-Xmx" + COORDINATOR_HEAP_MB + "m",
                "-jar",
                home.resolve(COORDINATOR_JAR).toString()),
            Map.of(
                "QUARKUS_HTTP_PORT",
                Integer.toString(httpPort),
                "QUARKUS_DATASOURCE_JDBC_URL",
                jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME",
                "postgres",
                "QUARKUS_DATASOURCE_PASSWORD",
                "postgres",
                "KAFKA_BOOTSTRAP_SERVERS",
                bootstrapServers));
    awaitReady(coordinator);

    List<Worker> started = new ArrayList<>();
    for (int i = 0; i < options.workers(); i++) {
      started.add(launchWorker(options.pipeline()));
    }
    for (Worker w : started) {
      w.process.awaitHttpOk(w.readyUrl(), options.workerReadyTimeout());
      LOG.info("worker {} warm (pid {}, log {})", w.id(), w.pid(), w.log());
    }
    warmUpPath();
    LOG.info(
        "farm ready in {} s: coordinator {}, kafka {}, postgres {}, {} worker(s) on the {} pipeline, results {}, logs {}",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0),
        coordinatorUrl(),
        bootstrapServers,
        jdbcUrl,
        workers.size(),
        options.pipeline(),
        resultRoot,
        logDir);
  }

  /** Fewest warm-up jobs per worker, one after another. */
  static final int WARM_UP_MIN_PER_WORKER = 3;

  /** Most warm-up jobs in all, whether or not the path has settled. */
  static final int WARM_UP_MAX = 40;

  /**
   * Sends jobs through the whole path (REST, PostgreSQL, dispatcher, Kafka, worker, result
   * recorder) one after another until their end-to-end time stops improving, before the farm says
   * it is ready. Each worker has already rendered its own warm-up images, but on a small machine
   * the first user jobs would otherwise share the CPU with the coordinator's and the broker's own
   * cold start (class loading, JIT compilation) and render slower than later ones. The jobs are
   * recorded as team {@value #WARM_UP_TEAM}.
   */
  private void warmUpPath() {
    if (workers.isEmpty()) {
      // Nothing renders: a farm started for intake benchmarks only.
      return;
    }
    long t0 = System.nanoTime();
    FarmClient client = new FarmClient(coordinatorUrl());
    List<Long> times = new ArrayList<>();
    Map<String, Integer> perWorker = new HashMap<>();
    // Until every worker has taken its share and the end-to-end times have stopped improving.
    while (times.size() < WARM_UP_MAX
        && !(perWorker.size() >= workers.size()
            && perWorker.values().stream().allMatch(n -> n >= WARM_UP_MIN_PER_WORKER)
            && settled(times, workers.size()))) {
      long t = System.nanoTime();
      String id =
          client.submit(
              FarmClient.parse(
                  "{\"prompt\":\"farm warm-up\",\"profile\":\"draft\",\"team\":\""
                      + WARM_UP_TEAM
                      + "\",\"seed\":"
                      + times.size()
                      + "}"));
      JsonNode done = client.awaitDone(id, options.workerReadyTimeout(), Duration.ofMillis(10));
      times.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
      if (!"SUCCEEDED".equals(done.path("state").asText())) {
        LOG.warn(
            "farm warm-up job {} ended {} ({}); skipping the rest of the path warm-up",
            id,
            done.path("state").asText(),
            done.path("reason").asText());
        break;
      }
      perWorker.merge(done.path("images").path(0).path("workerId").asText("?"), 1, Integer::sum);
    }
    LOG.info(
        "farm warm-up: {} jobs through the whole path in {} ms (per worker {}), end-to-end ms in order {} (team {})",
        times.size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
        perWorker,
        times,
        WARM_UP_TEAM);
  }

  /**
   * Settled: the mean of the last {@code window} jobs is no more than 10 % above the mean of the
   * {@code window} before them, i.e. the path has stopped getting faster.
   */
  static boolean settled(List<Long> times, int window) {
    int n = times.size();
    if (n < 2 * window) {
      return false;
    }
    double last =
        times.subList(n - window, n).stream().mapToLong(Long::longValue).average().orElseThrow();
    double before =
        times.subList(n - 2 * window, n - window).stream()
            .mapToLong(Long::longValue)
            .average()
            .orElseThrow();
    return last >= before * 0.9 && last <= before * 1.1;
  }

  /** Team of the farm's own warm-up jobs, so analysts can leave them out. */
  public static final String WARM_UP_TEAM = "farm-warmup";

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
    cmd.addAll(options.workerArgs());
    ChildProcess p =
        ChildProcess.start(id, cmd, options.workerEnv(), home, logDir.resolve(id + ".log"));
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
   * Stops the service {@code name} ({@code postgres}, {@code kafka} or {@code coordinator}) with
   * {@code signal}, leaves it down for {@code downtime}, then starts it again on the same port and
   * data and waits until it is ready. The rest of the farm keeps running throughout.
   */
  public void restartService(String name, Signal signal, Duration downtime) {
    ServiceSpec spec = specs.get(name);
    ChildProcess old =
        services.stream()
            .filter(p -> p.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no service " + name + "; services: " + specs.keySet()));
    expectedExits.add(old);
    if (signal == Signal.KILL) {
      LOG.info(
          "killing {} (SIGKILL, pid {}) for a restart in {} ms",
          name,
          old.pid(),
          downtime.toMillis());
      old.kill();
    } else {
      LOG.info(
          "stopping {} (SIGTERM, pid {}) for a restart in {} ms",
          name,
          old.pid(),
          downtime.toMillis());
      old.stop(SERVICE_STOP_GRACE);
    }
    services.remove(old);
    try {
      Thread.sleep(downtime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FarmException("interrupted while " + name + " was down");
    }
    awaitReady(startService(name, spec.command(), spec.env()));
  }

  private void awaitReady(ChildProcess p) {
    switch (p.name()) {
      case "postgres" -> {
        String ready = p.awaitLine("POSTGRES READY", options.startTimeout());
        jdbcUrl = field(ready, "jdbc");
        postgresPort = Integer.parseInt(field(ready, "port"));
        LOG.info("postgres ready: {} (pid {}, log {})", jdbcUrl, p.pid(), p.log());
      }
      case "kafka" -> {
        bootstrapServers = field(p.awaitLine("KAFKA READY", options.startTimeout()), "bootstrap");
        LOG.info("kafka ready: {} (pid {}, log {})", bootstrapServers, p.pid(), p.log());
      }
      case "coordinator" -> {
        p.awaitHttpOk(coordinatorUrl().resolve("/q/health/ready"), options.startTimeout());
        LOG.info("coordinator ready: {} (pid {}, log {})", coordinatorUrl(), p.pid(), p.log());
      }
      default -> throw new IllegalArgumentException("unknown service " + p.name());
    }
  }

  private ChildProcess startService(String name, List<String> cmd, Map<String, String> env) {
    specs.put(name, new ServiceSpec(List.copyOf(cmd), Map.copyOf(env)));
    ChildProcess p =
        ChildProcess.start(
            name, cmd, env, options.home().toAbsolutePath(), logDir.resolve(name + ".log"));
    lock.recordChild(p.pid(), name);
    services.add(p);
    p.process()
        .onExit()
        .thenAccept(
            proc -> {
              if (!closing.get() && !expectedExits.contains(p)) {
                String why =
                    name
                        + " exited unexpectedly with code "
                        + proc.exitValue()
                        + "; see "
                        + p.log()
                        + ". Last lines:\n"
                        + p.tail();
                LOG.error(why);
                failure.complete(why);
              }
            });
    return p;
  }

  public URI coordinatorUrl() {
    return URI.create("http://localhost:" + httpPort);
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String dbUser() {
    return "postgres";
  }

  public String dbPassword() {
    return "postgres";
  }

  public int postgresPort() {
    return postgresPort;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path resultRoot() {
    return resultRoot;
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

  /** As {@link #awaitFailure()}, for at most {@code timeout}; null when nothing failed. */
  public String failureWithin(Duration timeout) throws InterruptedException {
    try {
      return failure.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
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
    boolean brokerUp = services.stream().anyMatch(p -> p.name().equals("kafka") && p.isAlive());
    Duration workerGrace = brokerUp ? WORKER_STOP_GRACE : NO_BROKER_STOP_GRACE;
    List<CompletableFuture<Void>> drains = new ArrayList<>();
    for (Worker w : workers) {
      drains.add(CompletableFuture.runAsync(() -> w.process.stop(workerGrace)));
    }
    drains.forEach(CompletableFuture::join);
    List<ChildProcess> reversed = new ArrayList<>(services);
    Collections.reverse(reversed);
    // Coordinator before the broker and database it uses; those two stop side by side.
    reversed.stream()
        .filter(p -> p.name().equals("coordinator"))
        .forEach(p -> p.stop(SERVICE_STOP_GRACE));
    List<CompletableFuture<Void>> rest = new ArrayList<>();
    for (ChildProcess p : reversed) {
      if (!p.name().equals("coordinator")) {
        rest.add(CompletableFuture.runAsync(() -> p.stop(SERVICE_STOP_GRACE)));
      }
    }
    rest.forEach(CompletableFuture::join);
    if (lock != null) {
      lock.close();
    }
    if (!services.isEmpty() || !workers.isEmpty()) {
      LOG.info("farm stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
  }

  private void checkBuilt(Path home) {
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(COORDINATOR_JAR, LAUNCHER_LIB)) {
      if (!Files.exists(home.resolve(p))) {
        missing.add(home.resolve(p).toString());
      }
    }
    if (!Files.exists(workerJar(home))) {
      missing.add(workerJar(home).toString());
    }
    if (!missing.isEmpty()) {
      throw new FarmException(
          "the farm is not built: missing "
              + String.join(", ", missing)
              + ". Build with `mvn -DskipTests package` in "
              + home
              + " (./farm does this for you)");
    }
  }

  /** The worker's runnable jar: the released name, or whichever version the build produced. */
  static Path workerJar(Path home) {
    Path named = home.resolve(WORKER_JAR);
    if (Files.exists(named)) {
      return named;
    }
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(home.resolve("worker/target"), "turbofarm-worker-*.jar")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.endsWith("-sources.jar") && !n.endsWith("-tests.jar")) {
          return p;
        }
      }
    } catch (IOException e) {
      // no target folder: report the expected name below
    }
    return named;
  }

  private int resolveHttpPort(int requested) {
    if (requested == 0) {
      return Ports.freePort();
    }
    // Quarkus binds all interfaces, so probe the wildcard address, not only loopback.
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(requested));
      return requested;
    } catch (IOException e) {
      throw new FarmException(
          "port "
              + requested
              + " for the coordinator's HTTP API is already in use (another farm, or another app?). "
              + "Stop it, or pick another port: FARM_HTTP_PORT="
              + (requested + 1)
              + " ./farm ...");
    }
  }

  private int resolvePort(String what, int requested, String envName) {
    if (requested == 0) {
      return Ports.freePort();
    }
    if (Ports.isFree(requested)) {
      return requested;
    }
    if (options.freePortIfBusy()) {
      int free = Ports.freePort();
      LOG.warn(
          "port {} for {} is in use; using free port {} instead (set {} to choose)",
          requested,
          what,
          free,
          envName);
      return free;
    }
    throw new FarmException(
        "port "
            + requested
            + " for "
            + what
            + " is already in use; set "
            + envName
            + " to another port");
  }

  /** {@code key=value} out of a READY line. */
  static String field(String line, String key) {
    for (String part : line.split(" ")) {
      if (part.startsWith(key + "=")) {
        return part.substring(key.length() + 1);
      }
    }
    throw new FarmException("unexpected ready line, no " + key + "=: " + line);
  }
}
