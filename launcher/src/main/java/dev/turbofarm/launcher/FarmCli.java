package dev.turbofarm.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code farm} command: {@code up}, {@code demo}, {@code bench overhead}. */
@Command(
    name = "farm",
    mixinStandardHelpOptions = true,
    versionProvider = FarmVersion.class,
    description =
        "Runs a local TurboFarm: a KRaft broker, PostgreSQL, the coordinator and workers, each its own process.",
    subcommands = {
      FarmCli.Up.class,
      FarmCli.DemoCommand.class,
      OverheadBench.Command.class,
      SubmitCommand.class,
      StatusCommand.class,
      CancelCommand.class,
      ListCommands.Jobs.class,
      ListCommands.Batches.class,
      ManifestCommand.class,
      KeysCommand.class,
      SeedCommands.Variants.class,
      SeedCommands.Refine.class,
      SeedCommands.Review.class,
      SeedCommands.History.class,
      SeedCommands.SeedsCommand.class,
      SeedCommands.Pool.class,
      Screenshots.class
    })
public final class FarmCli {

  /** Exit code when the farm could not start or a part of it failed. */
  static final int EXIT_FAILED = 1;

  public static void main(String[] args) {
    configureLogging();
    int code =
        new CommandLine(new FarmCli())
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  if (e instanceof FarmException) {
                    System.err.println("farm: " + e.getMessage());
                    return EXIT_FAILED;
                  }
                  throw e;
                })
            .execute(args);
    System.exit(code);
  }

  /**
   * Short, time-stamped launcher lines on stderr; stdout stays for results. Must run before the
   * first logger.
   */
  static void configureLogging() {
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Where the repository is: {@code -Dfarm.home} (the script sets it), else the working directory.
   */
  static Path home() {
    return Path.of(System.getProperty("farm.home", ".")).toAbsolutePath().normalize();
  }

  /**
   * Options every farm-starting command shares; ports and data dir also come from the environment.
   */
  static final class FarmArgs {
    @Option(
        names = "--workers",
        defaultValue = "2",
        description = "worker processes (default ${DEFAULT-VALUE})")
    int workers;

    @Option(
        names = "--coordinators",
        defaultValue = "${env:FARM_COORDINATORS:-1}",
        description =
            "coordinator processes on the same broker and database, the first on --http-port, the"
                + " others on free ports; the farm's own clients fail over between them (env"
                + " FARM_COORDINATORS, default ${DEFAULT-VALUE})")
    int coordinators;

    @Option(
        names = "--pipeline",
        defaultValue = "bundled",
        description = "workers' pipeline: bundled or instant (default ${DEFAULT-VALUE})")
    String pipeline;

    @Option(
        names = "--data-dir",
        defaultValue = "${env:FARM_DATA_DIR}",
        description = "data directory (default ./farm-data, env FARM_DATA_DIR)")
    Path dataDir;

    @Option(
        names = "--http-port",
        defaultValue = "${env:FARM_HTTP_PORT:-8080}",
        description = "coordinator HTTP port (env FARM_HTTP_PORT, default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(
        names = "--kafka-port",
        defaultValue = "${env:FARM_KAFKA_PORT}",
        description = "broker port (env FARM_KAFKA_PORT; default 19092, or a free one if taken)")
    Integer kafkaPort;

    @Option(
        names = "--pg-port",
        defaultValue = "${env:FARM_PG_PORT}",
        description = "PostgreSQL port (env FARM_PG_PORT; default 15432, or a free one if taken)")
    Integer pgPort;

    @Option(
        names = "--storage",
        defaultValue = "${env:FARM_STORAGE:-filesystem}",
        description =
            "where results go: filesystem (data-dir/results) or s3 (a local S3-protocol server,"
                + " s3proxy, storing under data-dir/s3) (env FARM_STORAGE, default ${DEFAULT-VALUE})")
    String storage;

    @Option(
        names = "--worker-ready-timeout",
        defaultValue = "300",
        description = "seconds a worker gets to load and warm its model (default ${DEFAULT-VALUE})")
    long workerReadyTimeoutS;

    FarmOptions options() {
      Path home = home();
      FarmOptions o =
          FarmOptions.defaults(home)
              .withWorkers(workers)
              .withCoordinators(coordinators)
              .withPipeline(pipeline)
              .withStorage(storage)
              .withHttpPort(httpPort)
              .withWorkerReadyTimeout(Duration.ofSeconds(workerReadyTimeoutS));
      if (dataDir != null) {
        o = o.withDataDir(dataDir.toAbsolutePath());
      }
      // A port the user chose must be honoured or fail loudly; only the defaults fall back to free
      // ports.
      if (kafkaPort != null || pgPort != null) {
        o = o.withFreePortIfBusy(false);
      }
      if (kafkaPort != null) {
        o = o.withKafkaPort(kafkaPort);
      }
      if (pgPort != null) {
        o = o.withPostgresPort(pgPort);
      }
      return o;
    }
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = "Start the farm and run in the foreground until Ctrl-C or SIGTERM.")
  static final class Up implements Callable<Integer> {
    @Mixin FarmArgs args;

    @Override
    public Integer call() throws InterruptedException {
      if (args.coordinators < 1) {
        System.err.println("farm up: --coordinators must be at least 1, not " + args.coordinators);
        return 2;
      }
      try (Farm farm = Farm.start(args.options())) {
        System.out.println(
            "farm up: coordinator "
                + farm.coordinatorUrl()
                + (farm.coordinators().size() > 1
                    ? " (" + farm.coordinators().size() + " coordinators, see below)"
                    : "")
                + " | kafka "
                + farm.bootstrapServers()
                + " | postgres "
                + farm.jdbcUrl()
                + " (user "
                + farm.dbUser()
                + ") | "
                + farm.workers().size()
                + " worker(s) | results "
                + farm.storageDescription()
                + " | logs "
                + farm.logDir()
                + " | health and metrics "
                + farm.managementUrl()
                + "/q/health, /q/metrics");
        if (farm.coordinators().size() > 1) {
          for (Farm.Coordinator c : farm.coordinators()) {
            System.out.println(
                "  "
                    + c.name()
                    + ": API "
                    + c.url()
                    + " | health and metrics "
                    + c.managementUrl()
                    + " | log "
                    + farm.logDir().resolve(c.name() + ".log"));
          }
          System.out.println(
              "  replicas share the database and broker: dispatch, results, leases and webhooks"
                  + " are shared, so any one may stop. No balancer runs in front of them: point a"
                  + " client at any URL and retry the next one on a refused connection or a 503"
                  + " (POST with an Idempotency-Key so a retry cannot create a second job); in"
                  + " production put a load balancer in front (deploy/kubernetes has a Service).");
        }
        System.out.println(
            "admin API key: "
                + farm.adminKeyFile()
                + " (mode 600); every farm command sends it (--api-key / FARM_API_KEY for"
                + " another), curl: -H \"Authorization: Bearer $(cat "
                + farm.adminKeyFile()
                + ")\"");
        System.out.println(
            "console: "
                + farm.coordinatorUrl()
                + "/console (sign in with the admin key in "
                + farm.adminKeyFile()
                + ")");
        System.out.println(
            "Browse: GET "
                + farm.coordinatorUrl()
                + "/api/v1/jobs/<id> lists each image's url; open it, or .../thumbnail?size=256"
                + " (with the key above). Ctrl-C stops everything.");
        String failure = farm.awaitFailure();
        if (failure != null) {
          System.err.println("farm: stopping because " + failure);
          return EXIT_FAILED;
        }
        return 0;
      }
    }
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Start the farm, render the bundled e-commerce prompts, fetch every image through its URL"
              + " and check its SHA-256, print a summary, stop.")
  static final class DemoCommand implements Callable<Integer> {
    @Mixin FarmArgs args;

    @Option(
        names = "--timeout",
        defaultValue = "900",
        description = "seconds to wait for all jobs (default ${DEFAULT-VALUE})")
    long timeoutS;

    @Override
    public Integer call() {
      try (Farm farm = Farm.start(args.options())) {
        Demo.Result r = Demo.run(farm, Duration.ofSeconds(timeoutS), System.out);
        if (!r.ok()) {
          System.err.println(
              "farm demo: "
                  + r.problems().size()
                  + " problem(s); the first: "
                  + r.problems().get(0)
                  + ". Worker logs: "
                  + farm.logDir());
          return EXIT_FAILED;
        }
        System.out.println("demo OK: " + r.jobs() + " jobs, " + r.images() + " images");
        return 0;
      }
    }
  }
}
