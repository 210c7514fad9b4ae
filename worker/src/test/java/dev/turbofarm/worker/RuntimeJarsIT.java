package dev.turbofarm.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker (its jar and {@code target/lib}, what {@code ./farm} and the Dockerfile run)
 * contains the bundled model's inference but no training, data-generation, evaluation or benchmark
 * class, and no test fixture. The enforcer rule in the pom guards the dependency graph; this checks
 * the bytes that ship.
 */
class RuntimeJarsIT {
  /** Packages that must never ship with a worker. */
  private static final List<String> BANNED_PACKAGES =
      List.of("dev/turbofarm/model/tools/", "dev/turbofarm/testfixtures/");

  /** Classes of the training side, wherever they might be moved, by simple name. */
  private static final List<String> BANNED_CLASSES =
      List.of(
          "TrainCommand",
          "EvalCommand",
          "BenchCommand",
          "ContactSheetCommand",
          "PngBenchCommand",
          "ProductPhotoGenerator",
          "TrainingData",
          "Scene",
          "Adam",
          "ModelCli",
          "ChaosPipeline");

  @Test
  void theWorkersRuntimeJarsHoldNoTrainingDataEvalOrFixtureClass() throws IOException {
    List<Path> jars = runtimeJars();
    List<String> offending = new ArrayList<>();
    boolean bundledModelShips = false;
    for (Path jar : jars) {
      String name = jar.getFileName().toString();
      if (name.startsWith("turbofarm-model-tools") || name.startsWith("turbofarm-test-fixtures")) {
        offending.add(name);
      }
      try (JarFile jf = new JarFile(jar.toFile())) {
        for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
          String entry = e.nextElement().getName();
          if (!entry.startsWith("dev/turbofarm/") || !entry.endsWith(".class")) {
            continue;
          }
          String simple = entry.substring(entry.lastIndexOf('/') + 1, entry.length() - 6);
          String outer = simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple;
          if (BANNED_PACKAGES.stream().anyMatch(entry::startsWith)
              || BANNED_CLASSES.contains(outer)) {
            offending.add(name + "!" + entry);
          }
          bundledModelShips |= entry.equals("dev/turbofarm/model/tiny/BundledPipeline.class");
        }
      }
    }
    // the scan looked at the real thing: the worker jar, its libraries, the bundled model
    assertThat(jars).hasSizeGreaterThan(5);
    assertThat(bundledModelShips).as("the bundled model ships with the worker").isTrue();
    assertThat(offending).as("training, data, eval or fixture code in the worker").isEmpty();
  }

  /** The worker jar and every jar of {@code target/lib}. */
  private static List<Path> runtimeJars() throws IOException {
    Path jar = Path.of(System.getProperty("worker.jar", "target/turbofarm-worker.jar"));
    Path lib = Path.of(System.getProperty("worker.build.dir", "target")).resolve("lib");
    assertThat(jar).as("the packaged worker jar").isRegularFile();
    assertThat(lib).as("the worker's runtime libraries").isDirectory();
    List<Path> jars = new ArrayList<>();
    jars.add(jar);
    try (Stream<Path> s = Files.list(lib)) {
      s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
    }
    return jars;
  }
}
