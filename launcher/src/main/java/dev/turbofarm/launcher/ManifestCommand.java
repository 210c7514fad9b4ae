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
    description =
        "Write a batch's manifest (SKU, job, image, url, sha256, seed, ...); with --download, fetch"
            + " its images too.")
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

  @Option(
      names = "--download",
      description =
          "also download every rendered image into this directory as SKU_index.png, checked"
              + " against its recorded SHA-256; files already there with that checksum are skipped")
  Path download;

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
          if (download == null) {
            return EXIT_OK;
          }
          Path jsonl = java.nio.file.Files.createTempFile("turbofarm-manifest-", ".jsonl");
          try {
            target.manifest(id, "jsonl", jsonl);
            java.util.List<com.fasterxml.jackson.databind.JsonNode> lines =
                new java.util.ArrayList<>();
            for (String l : java.nio.file.Files.readAllLines(jsonl)) {
              if (!l.isBlank()) {
                lines.add(FarmClient.parse(l));
              }
            }
            BatchDownload.Outcome o =
                new BatchDownload(target.url, target.key()).run(lines, download, System.out);
            System.out.printf(
                "download: %s: %d downloaded (%.1f MB), %d already there, %d failed%n",
                download.toAbsolutePath(),
                o.downloaded(),
                o.bytes() / 1e6,
                o.skipped(),
                o.problems().size());
            o.problems().forEach(p -> System.err.println("farm: " + p));
            return o.problems().isEmpty() ? EXIT_OK : BatchCommands.EXIT_FAILED;
          } finally {
            java.nio.file.Files.deleteIfExists(jsonl);
          }
        });
  }
}
