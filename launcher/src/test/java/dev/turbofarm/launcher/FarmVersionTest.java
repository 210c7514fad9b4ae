package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The version comes from the build: the pom's version, which surefire passes in to compare. */
class FarmVersionTest {
  private static final String POM_VERSION = System.getProperty("farm.expected.version");

  @Test
  void farmDashDashVersionPrintsThePomsVersion() {
    assertThat(POM_VERSION).as("surefire passes -Dfarm.expected.version").isNotBlank();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cli = new CommandLine(new FarmCli());
    cli.setOut(new java.io.PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
    assertThat(cli.execute("--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo("farm " + POM_VERSION);
  }

  @Test
  void theWorkerJarIsNamedByThatVersion() {
    assertThat(FarmBuild.WORKER_JAR.getFileName().toString())
        .isEqualTo("turbofarm-worker-" + POM_VERSION + ".jar");
  }
}
