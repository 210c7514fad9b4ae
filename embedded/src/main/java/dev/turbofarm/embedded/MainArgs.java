package dev.turbofarm.embedded;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few arguments the embedded mains take; plain parsing keeps this module free of a CLI library.
 */
record MainArgs(
    String dir,
    int port,
    List<String> databases,
    long parentPid,
    Map<String, String> serverConfig) {

  static MainArgs parse(String program, String[] args) {
    String dir = null;
    int port = 0;
    List<String> databases = new ArrayList<>();
    long parentPid = 0;
    Map<String, String> serverConfig = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        usage(program, "missing value after " + a);
      }
      switch (a) {
        case "--dir" -> dir = args[++i];
        case "--port" -> {
          try {
            port = Integer.parseInt(args[++i]);
          } catch (NumberFormatException e) {
            usage(program, "--port needs a number, got " + args[i]);
          }
        }
        case "--database" -> databases.add(args[++i]);
        case "--server-config" -> {
          String kv = args[++i];
          int eq = kv.indexOf('=');
          if (eq < 1) {
            usage(program, "--server-config needs key=value, got " + kv);
          }
          serverConfig.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--parent-pid" -> {
          try {
            parentPid = Long.parseLong(args[++i]);
          } catch (NumberFormatException e) {
            usage(program, "--parent-pid needs a number, got " + args[i]);
          }
        }
        default -> usage(program, "unknown argument " + a);
      }
    }
    if (dir == null) {
      usage(program, "--dir is required");
    }
    return new MainArgs(dir, port, List.copyOf(databases), parentPid, Map.copyOf(serverConfig));
  }

  /**
   * slf4j-simple reads these once, at its first logger: time-stamped lines for the farm's log
   * files, and Kafka's client and config dumps kept to warnings so the broker log shows what
   * matters.
   */
  static void quietDefaults() {
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.clients", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.kafka.server.KafkaConfig", "warn");
  }

  /**
   * A launcher killed with SIGKILL cannot stop its children; with {@code --parent-pid} the child
   * notices and exits through its shutdown hook, so no broker or database outlives the farm.
   */
  void exitWhenParentDies() {
    if (parentPid <= 0) {
      return;
    }
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(
            parent ->
                parent
                    .onExit()
                    .thenRun(
                        () -> {
                          System.err.println("parent process " + parentPid + " is gone; stopping");
                          System.exit(0);
                        }),
            () -> {
              System.err.println("parent process " + parentPid + " is already gone; stopping");
              System.exit(0);
            });
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private static void usage(String program, String problem) {
    System.err.println(program + ": " + problem);
    System.err.println(
        "usage: "
            + program
            + " --dir DIR [--port N] [--parent-pid PID] "
            + (program.contains("Postgres")
                ? "[--database NAME]... [--server-config KEY=VALUE]..."
                : ""));
    System.exit(2);
  }
}
