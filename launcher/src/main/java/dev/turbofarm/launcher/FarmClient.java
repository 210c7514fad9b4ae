package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * A small client of the coordinator's job API, for the demo, the benchmarks and the integration
 * tests. Every request carries the API key it was made with ({@code Authorization: Bearer}).
 */
public final class FarmClient {
  /**
   * Job states after which nothing changes: every image recorded, failed for good, or cancelled
   * with its batch before it was dispatched (the coordinator's terminal states).
   */
  public static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request's wait for an answer, s: the coordinator answers in ms; 30 s means it hangs. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final String apiKey;
  private final HttpClient http =
      HttpClient.newBuilder()
          // The coordinator speaks HTTP/1.1 only; no h2c upgrade attempt on every request.
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * @param apiKey the key every request sends; a local farm's is {@link Farm#adminKey()}
   */
  public FarmClient(URI base, String apiKey) {
    this.base = base;
    this.apiKey = apiKey;
  }

  /** A request to {@code path} with this client's key and timeout. */
  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + apiKey);
  }

  /** An HTTP answer: status, content type and body as JSON (null when the body is not JSON). */
  public record Answer(int status, String contentType, JsonNode body, String raw) {}

  public Answer post(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  public Answer get(String path) {
    return send(request(path).GET().build());
  }

  /** Submits a job and returns its id; any answer but 202 is an error that quotes the body. */
  public String submit(JsonNode job) {
    Answer a = post("/api/v1/jobs", job.toString());
    if (a.status() != 202 || a.body() == null || !a.body().hasNonNull("id")) {
      throw new FarmException(
          "POST /api/v1/jobs answered " + a.status() + ": " + a.raw() + " (request " + job + ")");
    }
    return a.body().get("id").asText();
  }

  public JsonNode job(String id) {
    Answer a = get("/api/v1/jobs/" + id);
    if (a.status() != 200 || a.body() == null) {
      throw new FarmException(
          "GET /api/v1/jobs/" + id + " answered " + a.status() + ": " + a.raw());
    }
    return a.body();
  }

  /**
   * Polls a job until it is in a {@link #TERMINAL} state (SUCCEEDED, FAILED or CANCELLED) and
   * returns it; throws naming the job and its last state on timeout.
   */
  public JsonNode awaitDone(String id, Duration timeout, Duration poll) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode j = job(id);
      if (TERMINAL.contains(j.path("state").asText())) {
        return j;
      }
      if (System.nanoTime() > deadline) {
        throw new FarmException(
            "job "
                + id
                + " still "
                + j.path("state").asText()
                + " after "
                + timeout.toSeconds()
                + " s");
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FarmException("interrupted while waiting for job " + id);
      }
    }
  }

  /**
   * End-to-end time of a finished job, ms: completedAt - createdAt, both set by the coordinator.
   */
  public static long endToEndMs(JsonNode job) {
    OffsetDateTime created = OffsetDateTime.parse(job.path("createdAt").asText());
    OffsetDateTime completed = OffsetDateTime.parse(job.path("completedAt").asText());
    return Duration.between(created, completed).toMillis();
  }

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  public static ObjectMapper json() {
    return JSON;
  }

  /** A draft-profile job, as the benchmarks send them. */
  public static ObjectNode draftJob(String prompt, String team, long seed) {
    ObjectNode job = JSON.createObjectNode();
    job.put("prompt", prompt);
    job.put("profile", "draft");
    job.put("team", team);
    job.put("seed", seed);
    return job;
  }

  /**
   * Submits a job, waits for its end and returns it; a job that did not succeed is an error naming
   * {@code what}, the job and its reason.
   */
  public JsonNode runToSuccess(ObjectNode job, Duration timeout, Duration poll, String what) {
    String id = submit(job);
    JsonNode done = awaitDone(id, timeout, poll);
    if (!"SUCCEEDED".equals(done.path("state").asText())) {
      throw new FarmException(
          what
              + " job "
              + id
              + " "
              + done.path("state").asText()
              + ": "
              + done.path("reason").asText());
    }
    return done;
  }

  /**
   * The bytes behind an image URL (absolute, from {@code images[].url}), with the SHA-256 the
   * answer's ETag names; any answer but 200 is an error quoting its status.
   */
  public byte[] download(URI url) {
    HttpRequest r =
        authorized(HttpRequest.newBuilder(url), url, base, apiKey)
            .timeout(REQUEST_TIMEOUT)
            .GET()
            .build();
    try {
      HttpResponse<byte[]> a = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
      if (a.statusCode() != 200) {
        throw new FarmException(
            "GET "
                + url
                + " answered "
                + a.statusCode()
                + ": "
                + new String(a.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      return a.body();
    } catch (IOException e) {
      throw new FarmException("GET " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FarmException("interrupted during GET " + url);
    }
  }

  /**
   * Adds the key to a request for {@code url} only when it goes to the coordinator itself (same
   * scheme, host and port as {@code base}): an image URL may point at an object store or a CDN,
   * which must never see the key.
   */
  static HttpRequest.Builder authorized(HttpRequest.Builder r, URI url, URI base, String apiKey) {
    boolean sameOrigin =
        base != null
            && apiKey != null
            && java.util.Objects.equals(url.getScheme(), base.getScheme())
            && java.util.Objects.equals(url.getHost(), base.getHost())
            && url.getPort() == base.getPort();
    return sameOrigin ? r.header("Authorization", "Bearer " + apiKey) : r;
  }

  /** Lower-case hex SHA-256. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private Answer send(HttpRequest request) {
    try {
      // A bound on the whole exchange, beside the request's own timeout: ChaosIT once saw a send to
      // a coordinator killed and restarted mid-request wait for 10 minutes.
      HttpResponse<String> r =
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .get(REQUEST_TIMEOUT.toSeconds() + 5, java.util.concurrent.TimeUnit.SECONDS);
      String ct = r.headers().firstValue("Content-Type").orElse("");
      JsonNode body = null;
      try {
        body = r.body().isBlank() ? null : JSON.readTree(r.body());
      } catch (IOException e) {
        // not JSON (an HTML error page, say): keep the raw text for the message
      }
      return new Answer(r.statusCode(), ct, body, r.body());
    } catch (java.util.concurrent.ExecutionException e) {
      throw new FarmException(
          request.method()
              + " "
              + request.uri()
              + " failed: "
              + e.getCause()
              + " (is the coordinator up? see its log coordinator.log)",
          e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new FarmException(
          request.method()
              + " "
              + request.uri()
              + " got no answer within "
              + (REQUEST_TIMEOUT.toSeconds() + 5)
              + " s (is the coordinator up? see its log coordinator.log)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FarmException("interrupted during " + request.method() + " " + request.uri());
    }
  }
}
