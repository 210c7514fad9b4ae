package dev.turbofarm.launcher;

import static dev.turbofarm.launcher.BatchCommands.EXIT_FAILED;
import static dev.turbofarm.launcher.BatchCommands.EXIT_OK;
import static dev.turbofarm.launcher.BatchCommands.EXIT_USAGE;
import static dev.turbofarm.launcher.BatchCommands.expect;
import static dev.turbofarm.launcher.BatchCommands.query;
import static dev.turbofarm.launcher.BatchCommands.run;
import static dev.turbofarm.launcher.BatchCommands.stripExtension;
import static dev.turbofarm.launcher.BatchCommands.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbofarm.launcher.BatchCommands.CliException;
import dev.turbofarm.launcher.BatchCommands.Target;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code farm submit}: a catalogue file as one batch, optionally watched to the end. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description =
        "Submit a catalogue (CSV, .jsonl or .json) as one batch; with --watch, show progress and write the manifest.")
final class SubmitCommand implements Callable<Integer> {
  @Mixin Target target;

  @Parameters(index = "0", description = "the catalogue file: .csv, .jsonl/.ndjson or .json")
  Path file;

  @Option(names = "--profile", description = "default profile for rows without one")
  String profile;

  @Option(names = "--team", description = "the team the jobs count against (default: default)")
  String team;

  @Option(
      names = "--template",
      description =
          "prompt template for rows without a prompt, e.g. '{color} {product} on {background}'")
  String template;

  @Option(names = "--count", description = "default images per row")
  Integer count;

  @Option(names = "--seed", description = "default first seed per row")
  Long seed;

  @Option(names = "--negative-prompt", description = "default negative prompt")
  String negativePrompt;

  @Option(names = "--name", description = "a label for the batch")
  String name;

  @Option(names = "--webhook", description = "URL called with the batch summary on completion")
  String webhook;

  @Option(
      names = "--accept-valid",
      description = "accept the valid rows even if some are bad (default: reject the whole file)")
  boolean acceptValid;

  @Option(
      names = "--idempotency-key",
      description =
          "sent as the Idempotency-Key header: running the same command again (after a timeout or"
              + " a lost answer) answers the first batch instead of storing a second; keys last"
              + " 24 h per team")
  String idempotencyKey;

  @Option(
      names = "--watch",
      description = "show progress until the batch is done, then write the manifest")
  boolean watch;

  @Option(
      names = "--manifest",
      description =
          "where --watch writes the manifest (default: <file>.manifest.csv beside the catalogue)")
  Path manifest;

  @Option(
      names = "--poll",
      defaultValue = "1",
      description = "seconds between progress updates (default ${DEFAULT-VALUE})")
  long pollS;

  @Override
  public Integer call() throws Exception {
    return run(this::submit);
  }

  private int submit() throws Exception {
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String type =
        lower.endsWith(".jsonl") || lower.endsWith(".ndjson")
            ? "application/x-ndjson"
            : lower.endsWith(".json") ? "application/json" : "text/csv";
    byte[] body;
    try {
      body = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CliException(EXIT_USAGE, "no such file: " + file);
    } catch (IOException e) {
      throw new CliException(EXIT_USAGE, "cannot read " + file + ": " + e.getMessage());
    }
    if (body.length == 0) {
      throw new CliException(EXIT_USAGE, file + " is empty");
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("mode", acceptValid ? "accept-valid" : "reject-all");
    params.put("profile", profile);
    params.put("team", team);
    params.put("template", template);
    params.put("count", count == null ? null : count.toString());
    params.put("seed", seed == null ? null : seed.toString());
    params.put("negativePrompt", negativePrompt);
    params.put("name", name == null ? file.getFileName().toString() : name);
    params.put("webhook", webhook);
    HttpRequest.Builder post =
        HttpRequest.newBuilder(target.resolve("/api/v1/batches?" + query(params)))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (idempotencyKey != null && !idempotencyKey.isEmpty()) {
      post.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> r = target.send(post);
    JsonNode answer;
    if (r.statusCode() == 422 && r.body().contains("idempotency-key-reused")) {
      System.err.println("farm: " + FarmClient.parse(r.body()).path("detail").asText());
      return EXIT_USAGE;
    }
    if (r.statusCode() == 400) {
      JsonNode p = FarmClient.parse(r.body());
      System.err.println("farm: " + file + ": " + p.path("detail").asText());
      for (JsonNode row : p.path("rejected")) {
        System.err.printf(
            "  line %d: %s: %s%n",
            row.path("line").asInt(), row.path("field").asText(), row.path("problem").asText());
      }
      for (JsonNode e : p.path("errors")) {
        if (!p.has("rejected")) {
          System.err.printf("  %s: %s%n", e.path("field").asText(), e.path("problem").asText());
        }
      }
      return EXIT_USAGE;
    }
    answer = expect(r, 202, "POST /api/v1/batches");
    String id = answer.path("id").asText();
    System.out.printf(
        "batch %s: %d jobs (%d images) accepted, %d rows rejected, in %d ms%s%n",
        id,
        answer.path("accepted").asInt(),
        answer.path("images").asLong(),
        answer.path("rejectedCount").asInt(),
        answer.path("intakeMs").asLong(),
        r.headers().firstValue("Idempotent-Replayed").isPresent()
            ? " (the first answer for this --idempotency-key: nothing new was stored)"
            : "");
    for (JsonNode row : answer.path("rejected")) {
      System.err.printf(
          "  rejected line %d: %s: %s%n",
          row.path("line").asInt(), row.path("field").asText(), row.path("problem").asText());
    }
    if (!watch) {
      System.out.println("watch it with: ./farm status " + id);
      return EXIT_OK;
    }
    JsonNode b = watch(target, id, pollS);
    Path out =
        manifest != null
            ? manifest
            : file.toAbsolutePath()
                .resolveSibling(stripExtension(file.getFileName().toString()) + ".manifest.csv");
    long lines = target.manifest(id, "csv", out);
    System.out.printf("manifest: %s (%d images)%n", out, lines);
    long failed = b.path("jobs").path("failed").asLong();
    if (failed > 0) {
      System.err.printf(
          "farm: %d jobs of batch %s failed; see the manifest's reason column%n", failed, id);
      return EXIT_FAILED;
    }
    return answer.path("rejectedCount").asInt() > 0 ? EXIT_FAILED : EXIT_OK;
  }
}
