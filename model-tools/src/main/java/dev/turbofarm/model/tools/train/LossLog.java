package dev.turbofarm.model.tools.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The loss curve of a training run: the mean loss of every 50 steps of each stage, as CSV. */
final class LossLog {
  private static final Logger LOG = LoggerFactory.getLogger(LossLog.class);

  private final List<String> lines = new ArrayList<>();

  private double windowSum;
  private int windowCount;

  /** Logs the mean loss of every 50 steps. */
  void record(String stage, int step, int total, float loss) {
    windowSum += loss;
    windowCount++;
    if ((step + 1) % 50 == 0 || step == total - 1) {
      double mean = windowSum / windowCount;
      lines.add(String.format(Locale.ROOT, "%s,%d,%.5f", stage, step + 1, mean));
      LOG.info(
          "{} step {}/{} loss {}",
          stage,
          step + 1,
          total,
          String.format(Locale.ROOT, "%.5f", mean));
      windowSum = 0;
      windowCount = 0;
    }
  }

  /**
   * Writes {@code stage,step,loss} and one line per 50 steps; with {@code append} and an existing
   * file, adds the lines to it (a resumed run continues the log of the run it resumed).
   */
  void write(Path file, boolean append) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    if (append && Files.exists(file)) {
      Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      return;
    }
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      w.println("stage,step,loss");
      lines.forEach(w::println);
    }
  }
}
