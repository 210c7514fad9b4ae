package dev.turbofarm.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the farm runs, as the build leaves it under the repository root ({@code home}). */
final class FarmBuild {
  static final Path COORDINATOR_JAR = Path.of("coordinator/target/quarkus-app/quarkus-run.jar");

  /** The worker jar of this launcher's own version (the reactor builds both). */
  static final Path WORKER_JAR =
      Path.of("worker/target/turbofarm-worker-" + FarmVersion.version() + ".jar");

  static final Path LAUNCHER_LIB = Path.of("launcher/target/lib");

  /** s3proxy's runnable jar, for {@code --storage s3} (copied there by the launcher's build). */
  static final Path S3PROXY_JAR = Path.of("launcher/target/s3proxy/s3proxy.jar");

  private FarmBuild() {}

  /** Throws naming every missing artifact and the command that builds them. */
  static void checkBuilt(Path home) {
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
}
