package dev.turbofarm.launcher;

import dev.turbofarm.embedded.DatabaseRoles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The farm's services, each its own process: the KRaft broker, PostgreSQL and the coordinators
 * ({@code coordinator}, then {@code coordinator-2}... with {@code --coordinators N}). Starts each
 * with a command it keeps for a restart, waits for its ready signal, restarts one on the same port
 * and data, and stops them in order. {@link Farm} owns the workers and this.
 */
final class ServiceProcesses {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcesses.class);

  /** Coordinator, broker and database stop in a few seconds; 30 s before SIGKILL. */
  private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);

  /** Heap of the broker process, MiB: a one-node broker with a few topics needs far less. */
  private static final int KAFKA_HEAP_MB = 768;

  /** Heap of the JVM that babysits PostgreSQL, MiB: it only runs pg_ctl and waits. */
  private static final int POSTGRES_HEAP_MB = 128;

  /** Heap of the JVM that babysits the local S3 server, MiB: it only waits. */
  private static final int S3_MAIN_HEAP_MB = 64;

  /** The local S3 server's bucket. */
  static final String S3_BUCKET = "turbofarm";

  /** The farm's own database login (the embedded PostgreSQL's superuser). */
  private static final String OWN_DB_USER = "postgres";

  private record ServiceSpec(List<String> command, Map<String, String> env) {}

  private final FarmOptions options;
  private final Path logDir;
  private final FarmLock lock;
  private final AtomicBoolean closing;
  private final CompletableFuture<String> failure;
  private final List<ChildProcess> services = new CopyOnWriteArrayList<>();

  /** How each service was started, so {@link #restart} can start it again the same way. */
  private final Map<String, ServiceSpec> specs = new ConcurrentHashMap<>();

  /** Processes stopped on purpose (a restart): their exit is not a failure of the farm. */
  private final Set<ChildProcess> expectedExits = ConcurrentHashMap.newKeySet();

  /** Each coordinator's management interface by name, where its readiness is asked. */
  private final Map<String, URI> coordinatorManagement = new ConcurrentHashMap<>();

  private volatile String bootstrapServers;
  private volatile String jdbcUrl;
  private volatile String dbUser = OWN_DB_USER;
  private volatile String dbPassword = OWN_DB_USER;
  private volatile String s3Endpoint;

  /** The passwords of the farm's own database roles; null on an external database. */
  private volatile DatabaseRoles.Passwords roles;

  /**
   * @param closing set once the farm stops: an exit after it is no failure
   * @param failure completed with the reason when a service dies unexpectedly
   */
  ServiceProcesses(
      FarmOptions options,
      Path logDir,
      FarmLock lock,
      AtomicBoolean closing,
      CompletableFuture<String> failure) {
    this.options = options;
    this.logDir = logDir;
    this.lock = lock;
    this.closing = closing;
    this.failure = failure;
  }

  /** Starts the broker and the database side by side: each takes seconds of mostly waiting. */
  void startBrokerAndDatabase(int kafkaPort, int pgPort) {
    String parentPid = Long.toString(ProcessHandle.current().pid());
    List<String> pgArgs =
        new ArrayList<>(
            List.of(
                "--dir",
                options.dataDir().resolve("postgres").toAbsolutePath().toString(),
                "--port",
                Integer.toString(pgPort),
                "--database",
                options.database(),
                "--parent-pid",
                parentPid));
    options
        .postgresConfig()
        .forEach((k, v) -> pgArgs.addAll(List.of("--server-config", k + "=" + v)));
    ChildProcess postgres =
        start(
            "postgres",
            embeddedMain(
                POSTGRES_HEAP_MB,
                "dev.turbofarm.embedded.LocalPostgresMain",
                pgArgs.toArray(String[]::new)),
            Map.of());
    ChildProcess kafka =
        start(
            "kafka",
            embeddedMain(
                KAFKA_HEAP_MB,
                "dev.turbofarm.embedded.EmbeddedKafkaMain",
                "--dir",
                options.dataDir().resolve("kafka").toAbsolutePath().toString(),
                "--port",
                Integer.toString(kafkaPort),
                "--parent-pid",
                parentPid),
            Map.of());
    awaitReady(postgres);
    makeDatabaseRoles();
    awaitReady(kafka);
  }

  /**
   * The farm's own PostgreSQL gets TurboFarm's three roles, as production does (db/bootstrap): the
   * coordinator runs its migrations as the owner and its pool as the runtime role. Their passwords
   * are made once per data directory and kept in it (mode 600); the embedded server trusts loopback
   * connections, but the coordinator ships no password outside dev and test, so it is given these.
   */
  private void makeDatabaseRoles() {
    Path file = options.dataDir().resolve("db-roles.properties");
    try {
      Properties p = new Properties();
      if (Files.exists(file)) {
        try (var in = Files.newBufferedReader(file)) {
          p.load(in);
        }
      }
      boolean changed = false;
      for (String role : List.of(DatabaseRoles.OWNER, DatabaseRoles.APP, DatabaseRoles.ANALYST)) {
        if (p.getProperty(role) == null) {
          p.setProperty(role, randomPassword());
          changed = true;
        }
      }
      if (changed) {
        Files.createDirectories(file.getParent());
        try (var out = Files.newBufferedWriter(file)) {
          p.store(out, "TurboFarm database role passwords of this farm (made by ./farm up)");
        }
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system: the data directory's own permissions protect it.
        }
      }
      roles =
          new DatabaseRoles.Passwords(
              p.getProperty(DatabaseRoles.OWNER),
              p.getProperty(DatabaseRoles.APP),
              p.getProperty(DatabaseRoles.ANALYST));
      DatabaseRoles.bootstrap(
          jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/') + 1),
          dbUser,
          dbPassword,
          options.database(),
          roles);
    } catch (IOException | SQLException e) {
      throw new FarmException(
          "cannot make the database roles in the farm's PostgreSQL ("
              + jdbcUrl
              + "): "
              + e.getMessage());
    }
  }

  private static String randomPassword() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * Starts the local S3-protocol server (s3proxy, its filesystem backend under {@code dataDir/s3})
   * on a free port and waits until it serves; the coordinator creates the bucket.
   */
  void startS3() {
    Path jar = options.home().toAbsolutePath().resolve(FarmBuild.S3PROXY_JAR);
    if (!java.nio.file.Files.isRegularFile(jar)) {
      throw new FarmException(
          "the local S3 server's jar is missing: "
              + jar
              + ". Build with `mvn -DskipTests package` in "
              + options.home().toAbsolutePath()
              + " (./farm does this for you)");
    }
    ChildProcess s3 =
        start(
            "s3",
            embeddedMain(
                S3_MAIN_HEAP_MB,
                "dev.turbofarm.embedded.LocalS3Main",
                "--dir",
                options.dataDir().resolve("s3").toAbsolutePath().toString(),
                "--port",
                "0",
                "--jar",
                options.home().toAbsolutePath().resolve(FarmBuild.S3PROXY_JAR).toString(),
                "--parent-pid",
                Long.toString(ProcessHandle.current().pid())),
            Map.of());
    awaitReady(s3);
  }

  /** The local S3 server's URL; null when the farm stores on the filesystem. */
  String s3Endpoint() {
    return s3Endpoint;
  }

  /** The store settings the coordinator and the workers share, as environment variables. */
  Map<String, String> coordinatorStorageEnv(Path resultRoot) {
    if (s3Endpoint == null) {
      return Map.of(
          "TURBOFARM_STORAGE_KIND",
          "filesystem",
          "TURBOFARM_STORAGE_ROOT",
          resultRoot.toAbsolutePath().toString());
    }
    return Map.of(
        "TURBOFARM_STORAGE_KIND",
        "s3",
        "TURBOFARM_STORAGE_S3_ENDPOINT",
        s3Endpoint,
        "TURBOFARM_STORAGE_S3_BUCKET",
        S3_BUCKET,
        "TURBOFARM_STORAGE_S3_ACCESS_KEY",
        dev.turbofarm.embedded.LocalS3.ACCESS_KEY,
        "TURBOFARM_STORAGE_S3_SECRET_KEY",
        dev.turbofarm.embedded.LocalS3.SECRET_KEY,
        "TURBOFARM_STORAGE_S3_CREATE_BUCKET",
        "true",
        // Nothing is written there with S3; set so that a stray default never points at
        // ./farm-data.
        "TURBOFARM_STORAGE_ROOT",
        resultRoot.toAbsolutePath().toString());
  }

  /** Uses a broker and a database that already run instead of starting the farm's own. */
  void useExternal(FarmOptions.ExternalServices external) {
    bootstrapServers = external.bootstrapServers();
    jdbcUrl = external.jdbcUrl();
    dbUser = external.user();
    dbPassword = external.password();
    LOG.info("using the running broker {} and database {}", bootstrapServers, jdbcUrl);
  }

  /** Whether {@code name} is one of the farm's coordinators. */
  static boolean isCoordinator(String name) {
    return name.equals("coordinator") || name.startsWith("coordinator-");
  }

  /**
   * Starts the coordinator {@code name} on {@code httpPort} (API) and {@code managementPort}
   * (health, metrics) with {@code adminKey} as its bootstrap admin key and the result store of
   * {@code storageEnv}, and waits until it is ready. Replicas share the broker and the database:
   * the first one's start migrates the schema and creates the topics, the others find them.
   */
  void startCoordinator(
      String name,
      int httpPort,
      int managementPort,
      String adminKey,
      URI managementUrl,
      Map<String, String> storageEnv) {
    List<String> cmd =
        List.of(
            javaBin(),
            "-Xmx" + options.coordinatorHeapMb() + "m",
            "-jar",
            options.coordinatorApp() != null
                ? options.coordinatorApp().resolve("quarkus-run.jar").toAbsolutePath().toString()
                : options.home().toAbsolutePath().resolve(FarmBuild.COORDINATOR_JAR).toString());
    Map<String, String> env = new HashMap<>(options.coordinatorEnv());
    env.putAll(storageEnv);
    env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
    env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put("TURBOFARM_SECURITY_BOOTSTRAP_ADMIN_KEY", adminKey);
    env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
    if (roles != null) {
      // The farm's own database: the runtime role for the pool, the owner for the migrations.
      env.put("QUARKUS_DATASOURCE_USERNAME", DatabaseRoles.APP);
      env.put("QUARKUS_DATASOURCE_PASSWORD", roles.app());
      env.put("QUARKUS_FLYWAY_USERNAME", DatabaseRoles.OWNER);
      env.put("QUARKUS_FLYWAY_PASSWORD", roles.owner());
    } else {
      // A database of someone else's: its one user does both, and reads the views itself.
      env.put("QUARKUS_DATASOURCE_USERNAME", dbUser);
      env.put("QUARKUS_DATASOURCE_PASSWORD", dbPassword);
      env.put("QUARKUS_FLYWAY_USERNAME", dbUser);
      env.put("QUARKUS_FLYWAY_PASSWORD", dbPassword);
      env.put("QUARKUS_FLYWAY_PLACEHOLDERS_ANALYST_ROLE", dbUser);
    }
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    coordinatorManagement.put(name, managementUrl);
    awaitReady(start(name, cmd, env));
  }

  /** See {@link Farm#restartService}. */
  void restart(String name, Farm.Signal signal, Duration downtime) {
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
    if (signal == Farm.Signal.KILL) {
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
      // The outage itself: the rest of the farm runs on without this service meanwhile.
      Thread.sleep(downtime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FarmException("interrupted while " + name + " was down");
    }
    awaitReady(start(name, spec.command(), spec.env()));
  }

  /** Whether the farm's own broker runs (an external one is not the farm's to judge). */
  boolean brokerUp() {
    return services.stream().anyMatch(p -> p.name().equals("kafka") && p.isAlive());
  }

  /** The process id of the running service {@code name}, or -1 when it does not run. */
  long pid(String name) {
    return services.stream()
        .filter(p -> p.name().equals(name) && p.isAlive())
        .mapToLong(ChildProcess::pid)
        .findFirst()
        .orElse(-1);
  }

  /** The names of the coordinators whose process runs. */
  List<String> liveCoordinators() {
    return services.stream()
        .filter(p -> isCoordinator(p.name()) && p.isAlive())
        .map(ChildProcess::name)
        .toList();
  }

  boolean anyStarted() {
    return !services.isEmpty();
  }

  /**
   * The coordinators first (side by side), then the broker and the database they use, those two
   * side by side.
   */
  void stopAll() {
    List<ChildProcess> reversed = new ArrayList<>(services);
    Collections.reverse(reversed);
    reversed.stream()
        .filter(p -> isCoordinator(p.name()))
        .map(p -> CompletableFuture.runAsync(() -> p.stop(SERVICE_STOP_GRACE)))
        .toList()
        .forEach(CompletableFuture::join);
    List<CompletableFuture<Void>> rest = new ArrayList<>();
    for (ChildProcess p : reversed) {
      if (!isCoordinator(p.name())) {
        rest.add(CompletableFuture.runAsync(() -> p.stop(SERVICE_STOP_GRACE)));
      }
    }
    rest.forEach(CompletableFuture::join);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  String dbUser() {
    return dbUser;
  }

  String dbPassword() {
    return dbPassword;
  }

  private List<String> embeddedMain(int heapMb, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin());
    cmd.add("-Xmx" + heapMb + "m");
    cmd.add("-cp");
    cmd.add(options.home().toAbsolutePath().resolve(FarmBuild.LAUNCHER_LIB) + "/*");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits for a service's ready signal; a coordinator's is on its management interface. */
  private void awaitReady(ChildProcess p) {
    if (isCoordinator(p.name())) {
      URI managementUrl = coordinatorManagement.get(p.name());
      p.awaitHttpOk(managementUrl.resolve("/q/health/ready"), options.startTimeout());
      LOG.info("{} ready: health {} (pid {}, log {})", p.name(), managementUrl, p.pid(), p.log());
      return;
    }
    switch (p.name()) {
      case "postgres" -> {
        String ready = p.awaitLine("POSTGRES READY", options.startTimeout());
        jdbcUrl = field(ready, "jdbc");
        LOG.info("postgres ready: {} (pid {}, log {})", jdbcUrl, p.pid(), p.log());
      }
      case "kafka" -> {
        bootstrapServers = field(p.awaitLine("KAFKA READY", options.startTimeout()), "bootstrap");
        LOG.info("kafka ready: {} (pid {}, log {})", bootstrapServers, p.pid(), p.log());
      }
      case "s3" -> {
        String ready = p.awaitLine("S3 READY", options.startTimeout());
        s3Endpoint = field(ready, "endpoint");
        // The server itself is a child of LocalS3Main: recorded too, so a later farm on this data
        // stops it if a SIGKILL left it behind.
        lock.recordChild(Long.parseLong(field(ready, "pid")), "s3proxy");
        LOG.info("s3 ready: {} (pid {}, log {})", s3Endpoint, p.pid(), p.log());
      }
      default -> throw new IllegalArgumentException("unknown service " + p.name());
    }
  }

  private ChildProcess start(String name, List<String> cmd, Map<String, String> env) {
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
                List<String> others = liveCoordinators();
                if (isCoordinator(name) && !others.isEmpty()) {
                  // A replica's death is what replicas are for: the others serve on (clients fail
                  // over, Kafka hands them its partitions), so the farm keeps running.
                  LOG.error(
                      "{}. The farm runs on with {}; restart the farm to get {} back",
                      why,
                      others,
                      name);
                  return;
                }
                LOG.error(why);
                failure.complete(why);
              }
            });
    return p;
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
