package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * What the bulk catalogue commands ({@link SubmitCommand}, {@link StatusCommand}, {@link
 * CancelCommand}, {@link ManifestCommand}) share: the coordinator's address and calls, exit codes,
 * error messages and the progress line. They talk to a running coordinator over HTTP; exit 0 on
 * success, 1 on a failure, 2 on bad usage or a bad file (picocli's own usage code).
 */
public final class BatchCommands {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  /**
   * One request's wait, s: a 100k-row catalogue is accepted in seconds; a minute means it hangs.
   */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

  private BatchCommands() {}

  /** A failure with its exit code and a message for the person at the terminal. */
  static final class CliException extends RuntimeException {
    final int code;

    CliException(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  /**
   * The coordinator's address and the API key to send, shared by every command that calls a running
   * coordinator. The key: {@code --api-key}, else {@code FARM_API_KEY}, else the local farm's
   * {@code <data dir>/admin.key}.
   */
  static final class Target {
    @Option(
        names = "--url",
        defaultValue = "http://localhost:${env:FARM_HTTP_PORT:-8080}",
        description = "coordinator URL (default ${DEFAULT-VALUE})")
    URI url;

    @Option(
        names = "--api-key",
        defaultValue = "${env:FARM_API_KEY}",
        description =
            "API key to send (env FARM_API_KEY; default: the local farm's <data dir>/admin.key)")
    String apiKey;

    @Option(
        names = "--data-dir",
        defaultValue = "${env:FARM_DATA_DIR}",
        description = "the local farm's data directory, for its admin.key (default ./farm-data)")
    Path dataDir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The key this command sends. */
    String key() {
      if (apiKey != null && !apiKey.isBlank()) {
        return apiKey.strip();
      }
      Path dir = dataDir != null ? dataDir : FarmCli.home().resolve("farm-data");
      Path file = FarmKeys.file(dir);
      if (!Files.exists(file)) {
        throw new CliException(
            EXIT_USAGE,
            "no API key: pass --api-key or set FARM_API_KEY (a local farm writes its admin key to "
                + file
                + " on its first start; --data-dir / FARM_DATA_DIR names another data directory)");
      }
      try {
        return FarmKeys.read(file);
      } catch (FarmException e) {
        throw new CliException(EXIT_USAGE, e.getMessage());
      }
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
      HttpRequest r =
          request.timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + key()).build();
      try {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException | HttpConnectTimeoutException e) {
        throw new CliException(
            EXIT_FAILED,
            "cannot reach the coordinator at "
                + url
                + " ("
                + e.getClass().getSimpleName()
                + "). Start a local farm with './farm up' (or set --url / FARM_HTTP_PORT)");
      } catch (IOException e) {
        throw new CliException(EXIT_FAILED, r.method() + " " + r.uri() + " failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(EXIT_FAILED, "interrupted");
      }
    }

    URI resolve(String path) {
      return url.resolve(path);
    }

    JsonNode batch(String id) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(resolve("/api/v1/batches/" + id)).GET());
      return expect(r, 200, "GET /api/v1/batches/" + id);
    }

    /** Writes the batch's manifest to a file; returns how many image lines it has. */
    long manifest(String id, String format, Path out) throws IOException {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(
                      resolve("/api/v1/batches/" + id + "/manifest?format=" + format))
                  .GET());
      if (r.statusCode() != 200) {
        expect(r, 200, "GET manifest of batch " + id);
      }
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(out, r.body(), StandardCharsets.UTF_8);
      long lines = r.body().lines().count();
      return format.equals("csv") ? Math.max(0, lines - 1) : lines;
    }
  }

  /** The JSON body of an expected answer; anything else becomes a message quoting the problem. */
  static JsonNode expect(HttpResponse<String> r, int status, String what) {
    JsonNode body = null;
    try {
      body = r.body() == null || r.body().isBlank() ? null : FarmClient.json().readTree(r.body());
    } catch (IOException e) {
      // not JSON: quoted raw below
    }
    if (r.statusCode() == status && body != null) {
      return body;
    }
    String detail =
        body != null && body.hasNonNull("detail") ? body.get("detail").asText() : r.body();
    if (r.statusCode() == 401) {
      detail +=
          ". The key was refused: check --api-key / FARM_API_KEY, or that --data-dir names the farm"
              + " you are talking to";
    }
    int code = r.statusCode() == 400 || r.statusCode() == 413 ? EXIT_USAGE : EXIT_FAILED;
    throw new CliException(code, what + " answered " + r.statusCode() + ": " + detail);
  }

  /** Percent-encodes a query string. */
  static String query(Map<String, String> params) {
    return params.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** Runs a command body, turning {@link CliException} into its message and exit code. */
  static int run(Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (CliException e) {
      System.err.println("farm: " + e.getMessage());
      return e.code;
    }
  }

  /** One progress line: a bar, done/total images, images/s and the ETA. */
  static String progressLine(JsonNode b) {
    long total = b.path("images").path("total").asLong();
    long done = b.path("images").path("done").asLong();
    int width = 30;
    int filled = total == 0 ? width : (int) (width * done / total);
    String eta = b.hasNonNull("etaSeconds") ? formatSeconds(b.get("etaSeconds").asLong()) : "--";
    return String.format(
        Locale.ROOT,
        "[%s%s] %d/%d images  %.1f img/s  ETA %s  %s",
        "#".repeat(filled),
        ".".repeat(width - filled),
        done,
        total,
        b.path("imagesPerSecond").asDouble(),
        eta,
        b.path("state").asText());
  }

  static String formatSeconds(long s) {
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  static void printStatus(JsonNode b, PrintStream out) {
    JsonNode j = b.path("jobs");
    out.printf(
        "batch %s (team %s) %s: jobs %d total, %d queued, %d dispatched, %d succeeded, %d failed,"
            + " %d cancelled%n",
        b.path("id").asText(),
        b.path("team").asText(),
        b.path("state").asText(),
        j.path("total").asLong(),
        j.path("queued").asLong(),
        j.path("dispatched").asLong(),
        j.path("succeeded").asLong(),
        j.path("failed").asLong(),
        j.path("cancelled").asLong());
    out.println(progressLine(b));
  }

  /** Polls the batch, redrawing one progress line, until it is done; returns the last view. */
  static JsonNode watch(Target target, String id, long pollS) throws InterruptedException {
    boolean tty = System.console() != null;
    JsonNode b;
    String last = "";
    while (true) {
      b = target.batch(id);
      String line = progressLine(b);
      if (tty) {
        System.out.print("\r" + line + "   ");
      } else if (!line.equals(last)) {
        System.out.println(line);
      }
      last = line;
      if (b.path("done").asBoolean()) {
        break;
      }
      Thread.sleep(Math.max(1, pollS) * 1000);
    }
    if (tty) {
      System.out.println();
    }
    printStatus(b, System.out);
    return b;
  }

  static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
