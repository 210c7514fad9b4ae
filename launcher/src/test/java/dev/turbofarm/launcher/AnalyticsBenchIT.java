package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code farm bench analytics} end to end on a small history: the generator's rows load into the
 * current schema, the analyst queries answer through the REST API with the farm's admin key, and
 * the API's summary equals SQL over the same rows (the bench exits non-zero otherwise). The
 * million-row figures are the benchmark's, in docs/benchmarks.md; this keeps the command working.
 */
class AnalyticsBenchIT {

  @Test
  void theBenchLoadsItsRowsAndTheApiSummaryEqualsSql() throws Exception {
    Path home = Path.of(System.getProperty("farm.home", "..")).toAbsolutePath().normalize();
    Path data = Files.createTempDirectory(home.resolve("launcher/target"), "analytics-bench-it-");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = System.out;
    int code;
    System.setOut(new PrintStream(new TeeStream(out, captured), true, StandardCharsets.UTF_8));
    try {
      code =
          new CommandLine(new FarmCli())
              .execute(
                  "bench",
                  "analytics",
                  "--rows",
                  "4000",
                  "--days",
                  "40",
                  "--runs",
                  "2",
                  "--no-append",
                  "--http-port",
                  "0",
                  "--kafka-port",
                  "0",
                  "--pg-port",
                  "0",
                  "--data-dir",
                  data.toString());
    } finally {
      System.setOut(out);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertThat(code).as("exit code of farm bench analytics; its output:%n%s", printed).isZero();
    assertThat(printed)
        .containsPattern("generated [0-9],[0-9]{3} images")
        .contains("summary grouped by profile and steps, 30 days")
        .contains("seed ranking")
        .contains("**Equal.**")
        .doesNotContain("MISMATCH");
  }

  /** Writes to both streams: the bench's output stays in the build log and is checked here. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
