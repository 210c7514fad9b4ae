package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo: submits the bundled e-commerce prompts to a running farm, waits for every job, fetches
 * every image through its URL (as a person would, never from a host path) and checks it against the
 * SHA-256 the worker recorded, prints a summary, and reports every job that failed, timed out or
 * whose image is missing or differs. With the S3 store it also checks that nothing was written
 * under the local result root.
 */
public final class Demo {
  static final String SAMPLE = "/demo/ecommerce-prompts.jsonl";

  /**
   * Between polls of all pending jobs, ms; the summary uses the coordinator's timestamps, so this
   * adds no error.
   */
  private static final long POLL_MILLIS = 250;

  private Demo() {}

  /** The outcome: what to print and whether every job succeeded with its files on disk. */
  public record Result(int jobs, int images, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public static List<JsonNode> sample() {
    try (InputStream in = Demo.class.getResourceAsStream(SAMPLE)) {
      if (in == null) {
        throw new IllegalStateException("demo sample " + SAMPLE + " missing from the launcher jar");
      }
      List<JsonNode> jobs = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          jobs.add(FarmClient.parse(line));
        }
      }
      return jobs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Result run(Farm farm, Duration timeout, PrintStream out) {
    FarmClient client = farm.client();
    out.printf(
        "admin API key: %s (mode 600; farm commands send it, FARM_API_KEY overrides)%n",
        farm.adminKeyFile());
    List<JsonNode> sample = sample();
    Map<String, JsonNode> submitted = new LinkedHashMap<>();
    for (JsonNode job : sample) {
      submitted.put(client.submit(job), job);
    }
    out.printf(
        "submitted %d jobs from %s; waiting up to %d s%n",
        submitted.size(), SAMPLE, timeout.toSeconds());

    Map<String, JsonNode> done = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (done.size() < submitted.size() && System.nanoTime() < deadline) {
      for (String id : submitted.keySet()) {
        if (!done.containsKey(id)) {
          JsonNode j = client.job(id);
          if (FarmClient.TERMINAL.contains(j.path("state").asText())) {
            done.put(id, j);
          }
        }
      }
      sleep(POLL_MILLIS);
    }

    List<String> problems = new ArrayList<>();
    List<Long> render = new ArrayList<>();
    List<Long> endToEnd = new ArrayList<>();
    List<Long> queueWait = new ArrayList<>();
    List<Long> overhead = new ArrayList<>();
    int images = 0;
    long fetchedBytes = 0;
    for (Map.Entry<String, JsonNode> e : submitted.entrySet()) {
      String id = e.getKey();
      String prompt = e.getValue().path("prompt").asText();
      JsonNode j = done.get(id);
      if (j == null) {
        problems.add(
            "job "
                + id
                + " (\""
                + prompt
                + "\") not finished after "
                + timeout.toSeconds()
                + " s; state "
                + client.job(id).path("state").asText());
        continue;
      }
      if (!"SUCCEEDED".equals(j.path("state").asText())) {
        problems.add(
            "job "
                + id
                + " (\""
                + prompt
                + "\") "
                + j.path("state").asText()
                + ": "
                + j.path("reason").asText("no reason given"));
        continue;
      }
      long e2e = FarmClient.endToEndMs(j);
      for (JsonNode img : j.path("images")) {
        images++;
        String url = img.path("url").asText();
        String recorded = img.path("sha256").asText();
        String verdict;
        try {
          byte[] png = client.download(java.net.URI.create(url));
          fetchedBytes += png.length;
          verdict = FarmClient.sha256Hex(png).equals(recorded) ? "OK" : "CHANGED";
        } catch (FarmException fetch) {
          verdict = "MISSING";
          problems.add(
              "job " + id + " image " + img.path("index").asInt() + ": " + fetch.getMessage());
        }
        out.printf(
            "%-8s %s  sha256 %s  <- \"%s\" #%d seed %d, render %d ms%n",
            verdict,
            url,
            recorded.length() > 12 ? recorded.substring(0, 12) + "..." : "(none)",
            prompt,
            img.path("index").asInt(),
            img.path("seed").asLong(),
            img.path("renderMs").asLong());
        if (verdict.equals("CHANGED")) {
          problems.add(
              "job "
                  + id
                  + " (\""
                  + prompt
                  + "\") image "
                  + img.path("index").asInt()
                  + ": the bytes at "
                  + url
                  + " do not match the SHA-256 the worker recorded, "
                  + recorded);
        }
        long r = img.path("renderMs").asLong();
        long q = img.path("queueWaitMs").asLong();
        render.add(r);
        queueWait.add(q);
        endToEnd.add(e2e);
        overhead.add(e2e - q - r);
      }
    }
    if (farm.s3Endpoint() != null) {
      long local = filesUnder(farm.resultRoot());
      out.printf(
          "results in %s; files under the local result root: %d%n",
          farm.storageDescription(), local);
      if (local > 0) {
        problems.add(
            local + " files were written under " + farm.resultRoot() + " with the S3 store");
      }
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "jobs %d, images %d, all fetched through their URLs and checked against the recorded"
            + " SHA-256 (%.1f MB)%n",
        submitted.size(),
        images,
        fetchedBytes / 1e6);
    out.printf(Locale.ROOT, "mean render ms        %8.1f%n", mean(render));
    out.printf(Locale.ROOT, "mean queue wait ms    %8.1f%n", mean(queueWait));
    out.printf(
        Locale.ROOT,
        "mean end-to-end ms    %8.1f   (job completedAt - createdAt)%n",
        mean(endToEnd));
    out.printf(
        Locale.ROOT,
        "mean farm overhead ms %8.1f   (end-to-end - queueWaitMs - renderMs, per image)%n",
        mean(overhead));
    for (String p : problems) {
      out.println("PROBLEM " + p);
    }
    return new Result(submitted.size(), images, problems);
  }

  /** Regular files under {@code dir}, 0 when it does not exist. */
  static long filesUnder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Result paths are absolute by contract; a relative one is taken under the result root. */
  static Path resolve(Path resultRoot, String path) {
    Path p = Path.of(path);
    return p.isAbsolute() ? p : resultRoot.resolve(p);
  }

  static double mean(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FarmException("interrupted");
    }
  }
}
