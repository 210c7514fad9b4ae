package dev.turbofarm.launcher;

import static dev.turbofarm.launcher.BatchCommands.EXIT_OK;
import static dev.turbofarm.launcher.BatchCommands.EXIT_USAGE;
import static dev.turbofarm.launcher.BatchCommands.run;

import dev.turbofarm.launcher.BatchCommands.CliException;
import dev.turbofarm.launcher.BatchCommands.Target;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code farm manifest}: a batch's manifest as CSV or JSON Lines. */
@Command(
    name = "manifest",
    mixinStandardHelpOptions = true,
    description = "Write a batch's manifest (SKU, job, image, path, seed, ...).")
final class ManifestCommand implements Callable<Integer> {
  @Mixin Target target;

  @Parameters(index = "0", description = "the batch id")
  String id;

  @Option(
      names = "--format",
      defaultValue = "csv",
      description = "csv or jsonl (default ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = {"-o", "--output"},
      description = "file to write (default: batch-<id>-manifest.<format>)")
  Path output;

  @Override
  public Integer call() throws Exception {
    return run(
        () -> {
          if (!format.equals("csv") && !format.equals("jsonl")) {
            throw new CliException(EXIT_USAGE, "--format must be csv or jsonl, not " + format);
          }
          Path out = output != null ? output : Path.of("batch-" + id + "-manifest." + format);
          long n = target.manifest(id, format, out);
          System.out.printf("manifest: %s (%d images)%n", out.toAbsolutePath(), n);
          return EXIT_OK;
        });
  }
}
