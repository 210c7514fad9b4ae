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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A small client of the coordinator's job API, for the demo, the benchmarks and the integration
 * tests. Every request carries the API key it was made with ({@code Authorization: Bearer}).
 *
 * <p>Given several coordinator URLs (replicas of one farm) it fails over, as a client behind a load
 * balancer sees it (docs/adr/0018-coordinator-replicas-client-failover.md): it sends to the
 * coordinator that answered last and moves to the next one when that one cannot be reached
 * (connection refused or connect timeout) or answers 503. A request that may have reached a
 * coordinator that then went silent (reset, no answer) is sent again elsewhere only when that is
 * safe: a GET, or a POST with an {@code Idempotency-Key}, whose retry answers the first job.
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

  /** The header that makes a POST safe to send again ({@code docs/operations.md}). */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final List<URI> bases;
  private final String apiKey;

  /** The coordinator that answered last: the next request goes there first. */
  private final AtomicInteger current = new AtomicInteger();

  /** Requests sent again to another coordinator (after a refused connection, a 503, a reset). */
  private final AtomicLong failovers = new AtomicLong();

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
    this(List.of(base), apiKey);
  }

  /**
   * A client of several coordinators of one farm, failing over between them in this order.
   *
   * @param apiKey the key every request sends
   */
  public FarmClient(List<URI> bases, String apiKey) {
    if (bases.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one coordinator URL");
    }
    this.bases = List.copyOf(bases);
    this.apiKey = apiKey;
  }

  /** The coordinators this client sends to, in failover order. */
  public List<URI> bases() {
    return bases;
  }

  /** Requests this client sent again to another coordinator so far. */
  public long failovers() {
    return failovers.get();
  }

  /** A request to {@code path} on {@code base} with this client's key and timeout. */
  private HttpRequest.Builder request(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + apiKey);
  }

  /**
   * An HTTP answer: status, content type and body as JSON (null when the body is not JSON).
   *
   * @param replayed whether the coordinator answered a retry with an Idempotency-Key with the first
   *     request's answer ({@code Idempotent-Replayed: true})
   */
  public record Answer(
      int status, String contentType, JsonNode body, String raw, boolean replayed) {}

  public Answer post(String path, String json) {
    return post(path, json, Map.of());
  }

  /**
   * A POST with extra headers; with an {@link #IDEMPOTENCY_KEY} among them it is sent again to the
   * next coordinator even after the one it went to failed mid-request.
   */
  public Answer post(String path, String json, Map<String, String> headers) {
    return send(
        headers.containsKey(IDEMPOTENCY_KEY),
        base -> {
          HttpRequest.Builder r =
              request(base, path)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json));
          headers.forEach(r::header);
          return r.build();
        });
  }

  public Answer get(String path) {
    return send(true, base -> request(base, path).GET().build());
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
        authorized(HttpRequest.newBuilder(url), url, bases, apiKey)
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
    return authorized(r, url, base == null ? List.of() : List.of(base), apiKey);
  }

  /** As above, for a client of several coordinators: the key goes to any of them. */
  static HttpRequest.Builder authorized(
      HttpRequest.Builder r, URI url, List<URI> bases, String apiKey) {
    boolean sameOrigin =
        apiKey != null
            && bases.stream()
                .anyMatch(
                    base ->
                        java.util.Objects.equals(url.getScheme(), base.getScheme())
                            && java.util.Objects.equals(url.getHost(), base.getHost())
                            && url.getPort() == base.getPort());
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

  /**
   * Sends to the coordinator that answered last, then to the others in turn: past one that cannot
   * be reached or answers 503 always, past one that failed after the request went out only when
   * {@code resendable}. The last coordinator's answer or failure is the result.
   */
  private Answer send(boolean resendable, Function<URI, HttpRequest> build) {
    int first = current.get();
    FarmException failure = null;
    for (int i = 0; i < bases.size(); i++) {
      int k = (first + i) % bases.size();
      boolean last = i == bases.size() - 1;
      HttpRequest request = build.apply(bases.get(k));
      try {
        Answer a = sendOnce(request);
        if (a.status() == 503 && !last) {
          // Answered, refused, nothing accepted: the next coordinator may have room.
          moveOn(k);
          continue;
        }
        current.set(k);
        return a;
      } catch (Unreached e) {
        failure = e;
      } catch (FarmException e) {
        if (!resendable) {
          throw e;
        }
        failure = e;
      }
      if (!last) {
        moveOn(k);
      }
    }
    throw failure;
  }

  private void moveOn(int from) {
    failovers.incrementAndGet();
    current.compareAndSet(from, (from + 1) % bases.size());
  }

  /** The request never reached the coordinator: connection refused or connect timeout. */
  static final class Unreached extends FarmException {
    Unreached(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static boolean neverConnected(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.net.ConnectException
          || c instanceof java.net.http.HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private Answer sendOnce(HttpRequest request) {
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
      boolean replayed =
          r.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
      return new Answer(r.statusCode(), ct, body, r.body(), replayed);
    } catch (java.util.concurrent.ExecutionException e) {
      String message =
          request.method()
              + " "
              + request.uri()
              + " failed: "
              + e.getCause()
              + " (is the coordinator up? see its log coordinator.log)";
      throw neverConnected(e.getCause())
          ? new Unreached(message, e.getCause())
          : new FarmException(message, e.getCause());
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
