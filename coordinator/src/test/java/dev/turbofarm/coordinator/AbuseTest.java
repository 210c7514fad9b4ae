package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The abuse suite (issue 10, item 10), on the real broker and PostgreSQL: what a hostile or
 * careless client and a hostile producer on Kafka can do to the farm, generated rather than written
 * case by case.
 *
 * <ol>
 *   <li>The access matrix, generated from the OpenAPI document: every operation without a key is a
 *       401, with a key of a role the operation does not list a 403, with a key of the right role
 *       but another team (on team A's real job, batch or team) a 404.
 *   <li>At least {@value #MIN_REQUESTS} malformed requests, sent with valid keys, spread over every
 *       operation of the OpenAPI document: mutated types, boundaries, control characters and
 *       unpaired surrogates, deep nesting, duplicate keys, unknown fields, bad content types, bad
 *       ids, bad query parameters, malformed CSV, JSON Lines and multipart bodies.
 *   <li>Malformed and forged records on every topic: {@code {}}, garbage, another schema, a job of
 *       width 0 and one with a huge prompt, a heartbeat {@code {}}, a result with a null path, a
 *       forged success for a finished job.
 *   <li>Webhook targets inside the farm's networks.
 * </ol>
 *
 * <p>It asserts: no answer is a 5xx; every 4xx is problem+json that says what was wrong (a 400
 * names each field); after the poison a new job succeeds within 60 s, the finished job is unchanged
 * and every bad record is listed as a dead letter. It prints the figures docs/security.md quotes.
 * Names resolve through {@link TestHostResolver}: nothing is sent beyond loopback.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbuseTest {
  /** The least number of malformed requests the suite sends. */
  static final int MIN_REQUESTS = 10_000;

  /** Requests in flight at once. */
  private static final int CONCURRENCY = 8;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A rate no test key reaches, requests/s: the suite is about input, not about limits. */
  private static final int UNLIMITED = 1_000_000;

  private static final String TEAM_A = "abuse-a";
  private static final String TEAM_B = "abuse-b";

  @TestHTTPResource("/")
  URL base;

  private static HttpClient http;
  private static Map<String, String> keys;
  private static List<Operation> operations;
  private static String jobA;
  private static String batchA;

  /** Answers per status, all phases. */
  private static final Map<Integer, AtomicInteger> BY_STATUS = new ConcurrentHashMap<>();

  /** Per operation: requests sent and answers past authentication (not 401). */
  private static final Map<String, int[]> PER_OPERATION = new ConcurrentHashMap<>();

  private static final List<String> VIOLATIONS = Collections.synchronizedList(new ArrayList<>());
  private static final AtomicInteger SENT = new AtomicInteger();

  /** One operation of the OpenAPI document and the roles it lists. */
  record Operation(String method, String path, List<String> roles, boolean body) {
    String name() {
      return method + " " + path;
    }
  }

  /** Runs once, from the first test (RestAssured knows the test port only once a test runs). */
  private static synchronized void setUp() throws Exception {
    if (operations != null) {
      return;
    }
    TestWorker.ensureStarted();
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(CONCURRENCY))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    keys = new LinkedHashMap<>();
    keys.put("admin", TestKeys.ADMIN);
    keys.put("submitter", key("submitter", TEAM_A));
    keys.put("analyst", key("analyst", TEAM_A));
    keys.put("submitter-b", key("submitter", TEAM_B));
    keys.put("analyst-b", key("analyst", TEAM_B));
    // Team A's own objects: a finished job and a finished batch.
    jobA =
        TestKeys.as(keys.get("submitter"))
            .contentType("application/json")
            .body("{\"prompt\":\"a red mug, abuse fixture\",\"seed\":7}")
            .when()
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    batchA =
        TestKeys.as(keys.get("submitter"))
            .contentType("text/csv")
            .body("sku,prompt\nfix-1,a blue mug\n")
            .when()
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    JobFlowTest.awaitTerminal(jobA);
    operations = operations();
  }

  @AfterEach
  void tearDown() {
    // A fuzzed pause must not outlive the test. After each test, not after all: Quarkus clears
    // RestAssured's port after each test, so an @AfterAll request would go nowhere.
    asAdmin().when().post("/api/v1/admin/dispatch/resume").then().statusCode(200);
  }

  private static String key(String role, String team) {
    return TestKeys.create(role, team, List.of(), "abuse " + role + " of " + team, UNLIMITED, null)
        .secret();
  }

  /** Every operation of the OpenAPI document, with the roles its security requirement names. */
  @SuppressWarnings("unchecked")
  static List<Operation> operations() {
    JsonPath doc =
        io.restassured.RestAssured.given()
            .when()
            .get("/api/v1/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    Map<String, Map<String, Object>> paths = doc.getMap("paths");
    List<Operation> ops = new ArrayList<>();
    new TreeMap<>(paths)
        .forEach(
            (path, methods) ->
                methods.forEach(
                    (m, spec) -> {
                      if (!List.of("get", "post", "put", "delete", "patch").contains(m)
                          || !path.startsWith("/api/v1/")
                          || path.equals("/api/v1/openapi")) {
                        return;
                      }
                      Map<String, Object> op = (Map<String, Object>) spec;
                      List<String> roles = new ArrayList<>();
                      Object security = op.get("security");
                      if (security instanceof List<?> l) {
                        for (Object requirement : l) {
                          ((Map<String, List<String>>) requirement)
                              .values()
                              .forEach(
                                  r ->
                                      r.stream()
                                          .filter(x -> !roles.contains(x))
                                          .forEach(roles::add));
                        }
                      }
                      ops.add(
                          new Operation(
                              m.toUpperCase(), path, roles, op.containsKey("requestBody")));
                    }));
    return ops;
  }

  // ---------------------------------------------------------------------------------------------
  // Sending and checking

  /** A request to send and check. */
  private record Probe(
      Operation op,
      String path,
      String key,
      String contentType,
      byte[] body,
      Set<Integer> expected) {}

  /** Sends a probe, records its answer, checks the problem document; returns the status. */
  private int send(Probe p) {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + p.path()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the suite built a bad URI: " + p.path(), e);
    }
    b.timeout(Duration.ofSeconds(60));
    if (p.key() != null) {
      b.header("Authorization", TestKeys.bearer(p.key()));
    }
    if (p.contentType() != null) {
      b.header("Content-Type", p.contentType());
    }
    HttpRequest.BodyPublisher publisher =
        p.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(p.body());
    b.method(p.op().method(), publisher);
    SENT.incrementAndGet();
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      VIOLATIONS.add(p.op().name() + " " + p.path() + ": no answer (" + e + ")");
      return -1;
    }
    int status = r.statusCode();
    BY_STATUS.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    int[] counts = PER_OPERATION.computeIfAbsent(p.op().name(), k -> new int[2]);
    synchronized (counts) {
      counts[0]++;
      if (status != 401) {
        counts[1]++;
      }
    }
    String what = p.op().name() + " as " + p.path() + " (" + status + ")";
    if (status >= 500) {
      VIOLATIONS.add(what + ": a 5xx: " + new String(r.body(), StandardCharsets.UTF_8));
    } else if (status >= 400) {
      checkProblem(what, status, r);
    }
    if (p.expected() != null && !p.expected().contains(status)) {
      VIOLATIONS.add(what + ": expected one of " + p.expected());
    }
    return status;
  }

  /** A 4xx is problem+json whose detail says what was wrong; a 400 names each field. */
  private static void checkProblem(String what, int status, HttpResponse<byte[]> r) {
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith("application/problem+json")) {
      VIOLATIONS.add(what + ": not problem+json but '" + type + "'");
      return;
    }
    JsonNode doc;
    try {
      doc = JSON.readTree(r.body());
    } catch (Exception e) {
      VIOLATIONS.add(what + ": problem+json that is not JSON");
      return;
    }
    if (doc.path("status").asInt() != status) {
      VIOLATIONS.add(what + ": the document's status is " + doc.path("status"));
    }
    if (doc.path("detail").asText("").isBlank() || doc.path("title").asText("").isBlank()) {
      VIOLATIONS.add(what + ": no detail or title");
    }
    if (status == 400) {
      JsonNode errors = doc.path("errors");
      boolean named =
          errors.isArray()
              && errors.size() > 0
              && java.util.stream.StreamSupport.stream(errors.spliterator(), false)
                  .allMatch(
                      e ->
                          !e.path("field").asText("").isBlank()
                              && !e.path("problem").asText("").isBlank());
      if (!named) {
        VIOLATIONS.add(what + ": a 400 without errors naming the fields: " + doc);
      }
    }
  }

  /** Sends every probe, CONCURRENCY at a time; waits for all. */
  private void sendAll(List<Probe> probes) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (Probe p : probes) {
        done.add(pool.submit(() -> send(p)));
      }
      for (Future<Integer> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 1. The access matrix

  /** A path of the operation on team A's own objects. */
  private static String onTeamA(String template) {
    String id = template.startsWith("/api/v1/batches/") ? batchA : jobA;
    return template
        .replaceAll("\\{(team)}", TEAM_A)
        .replaceAll("\\{(i|idx|index)}", "0")
        .replaceAll("\\{[^}]+}", id);
  }

  @Test
  @Order(1)
  void theAccessMatrixOfEveryOperation() throws Exception {
    setUp();
    List<Probe> probes = new ArrayList<>();
    int wrongTeam = 0;
    for (Operation op : operations) {
      String path = onTeamA(op.path());
      byte[] body = op.body() ? "{}".getBytes(StandardCharsets.UTF_8) : null;
      String type = op.body() ? "application/json" : null;
      probes.add(new Probe(op, path, null, type, body, Set.of(401)));
      probes.add(new Probe(op, path, "tf_" + "x".repeat(43), type, body, Set.of(401)));
      for (String role : List.of("submitter", "analyst", "admin")) {
        if (!op.roles().isEmpty() && !op.roles().contains(role)) {
          probes.add(new Probe(op, path, keys.get(role), type, body, Set.of(403)));
        }
      }
      // Another team's caller of an allowed role, on team A's object: 404, as if it did not exist.
      boolean teamObject =
          op.path().contains("{") && !op.path().startsWith("/api/v1/admin/") && !op.body();
      if (teamObject) {
        for (String role : List.of("submitter", "analyst")) {
          if (op.roles().contains(role)) {
            probes.add(new Probe(op, path, keys.get(role + "-b"), type, body, Set.of(404)));
            wrongTeam++;
          }
        }
      }
    }
    sendAll(probes);
    System.out.printf(
        "ABUSE access matrix: %d operations, %d probes (no key, bad key, each role not listed, %d"
            + " of another team)%n",
        operations.size(), probes.size(), wrongTeam);
    assertThat(operations.size()).isGreaterThanOrEqualTo(15);
    assertThat(wrongTeam).isGreaterThanOrEqualTo(4);
    assertThat(VIOLATIONS).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Malformed requests

  /** A key of a role the operation allows, team A's where it matters. */
  private static String allowedKey(Operation op) {
    if (op.roles().isEmpty() || op.roles().contains("submitter")) {
      return keys.get("submitter");
    }
    if (op.roles().contains("analyst")) {
      return keys.get("analyst");
    }
    return keys.get("admin");
  }

  private static final List<String> TEXTS =
      List.of(
          "",
          " ",
          "a\u0000b",
          "\u0000",
          "bell\u0007",
          "esc\u001b[31m",
          "del\u007f",
          "c1\u0085",
          "tab\tand\nline",
          "emoji \ud83d\ude00",
          "x".repeat(5000),
          "'; DROP TABLE job; --",
          "../../../etc/passwd",
          "%00",
          "${jndi:ldap://127.0.0.1/x}",
          "<script>alert(1)</script>",
          "\u202eright-to-left",
          "null");

  private static final List<String> BAD_IDS =
      List.of(
          "not-a-uuid",
          "00000000-0000-0000-0000-000000000000",
          "%00",
          "%2e%2e%2f%2e%2e%2fetc",
          "-1",
          "99999999999999999999",
          "1e9",
          "%E2%80%AE",
          "x".repeat(300),
          "%C3%28",
          UUID.randomUUID() + "%00");

  /** A JSON value of some other kind than the field expects. */
  private static String mutatedValue(Random r) {
    return switch (r.nextInt(24)) {
      case 0 -> "0";
      case 1 -> "-1";
      case 2 -> "2147483648";
      case 3 -> "9223372036854775808";
      case 4 -> "1e308";
      case 5 -> "-0.5";
      case 6 -> "512.5";
      case 7 -> "\"512\"";
      case 8 -> "true";
      case 9 -> "null";
      case 10 -> "[]";
      case 11 -> "{}";
      case 12 -> "[1,2,3]";
      case 13 -> "{\"nested\":{\"deeper\":[{}]}}";
      case 14 -> "\"\\u0000\"";
      case 15 -> "\"\\ud800\"";
      case 16 -> "\"\\udc00x\"";
      case 17 -> "\"" + "y".repeat(20_000) + "\"";
      case 18 -> "\"a\\u001fb\"";
      case 19 -> "NaN";
      case 20 -> "\"NaN\"";
      case 21 -> "65536";
      case 22 -> "4294967296";
      default -> JSON.valueToTree(TEXTS.get(r.nextInt(TEXTS.size()))).toString();
    };
  }

  /** The fields a body of this operation has (the examples the suite knows), with a valid value. */
  private static Map<String, String> fieldsOf(Operation op) {
    Map<String, String> f = new LinkedHashMap<>();
    if (op.path().equals("/api/v1/jobs")) {
      f.put("prompt", "\"a red mug\"");
      f.put("negativePrompt", "\"blur\"");
      f.put("profile", "\"draft\"");
      f.put("width", "512");
      f.put("height", "512");
      f.put("steps", "10");
      f.put("guidance", "6.0");
      f.put("seed", "42");
      f.put("count", "1");
      f.put("team", "\"" + TEAM_A + "\"");
      f.put("fallbackProfile", "\"draft\"");
    } else if (op.path().endsWith("/keys")) {
      f.put("name", "\"fuzz\"");
      f.put("role", "\"submitter\"");
      f.put("team", "\"abuse-fuzz\"");
      f.put("teams", "[]");
      f.put("rateLimit", "10");
      f.put("expiresAt", "\"2099-01-01T00:00:00Z\"");
    } else if (op.path().endsWith("/pause")) {
      f.put("reason", "\"fuzz\"");
    } else if (op.path().endsWith("/webhook-secret")) {
      f.put("secret", "\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"");
    } else {
      f.put("value", "1");
    }
    return f;
  }

  private static String object(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder("{");
    fields.forEach(
        (k, v) -> {
          if (sb.length() > 1) {
            sb.append(',');
          }
          sb.append(JSON.valueToTree(k).toString()).append(':').append(v);
        });
    return sb.append('}').toString();
  }

  /** A malformed JSON body for the operation. */
  private static String badJsonBody(Operation op, Random r) {
    Map<String, String> fields = new LinkedHashMap<>(fieldsOf(op));
    List<String> names = new ArrayList<>(fields.keySet());
    String field = names.get(r.nextInt(names.size()));
    return switch (r.nextInt(16)) {
      case 0, 1, 2, 3, 4, 5 -> {
        fields.put(field, mutatedValue(r));
        yield object(fields);
      }
      case 6 -> object(fields) + "," + object(fields); // trailing content
      case 7 -> object(fields).replaceFirst("\\{", "{" + JSON.valueToTree(field) + ":1,"); // dup
      case 8 -> {
        fields.put(field.substring(0, Math.max(1, field.length() - 1)) + "x", "1"); // typo
        yield object(fields);
      }
      case 9 -> "[".repeat(2000 + r.nextInt(20000)) + "]".repeat(r.nextInt(3));
      case 10 -> "{\"a\":".repeat(1000 + r.nextInt(5000)) + "1";
      case 11 -> object(fields).substring(0, Math.max(1, r.nextInt(object(fields).length())));
      case 12 -> List.of("null", "[]", "\"\"", "0", "true", "{}", "").get(r.nextInt(7));
      case 13 -> "\u0000\u0001\u00ff garbage \ud800";
      case 14 -> object(fields).replace("\"", "'");
      default -> {
        fields.put(JSON.valueToTree(TEXTS.get(r.nextInt(TEXTS.size()))).asText(), "1");
        yield object(fields);
      }
    };
  }

  /** A malformed catalogue: CSV, JSON Lines or a JSON array, with its content type. */
  private static String[] badCatalogue(Random r) {
    return switch (r.nextInt(14)) {
      case 0 -> new String[] {"text/csv", "sku,prompt\n\"unclosed,a mug\n"};
      case 1 -> new String[] {"text/csv", "sku,prompt\na,b,c,d\n"};
      case 2 -> new String[] {"text/csv", "sku,prompt\nnul,a\u0000mug\nok,a mug\n"};
      case 3 -> new String[] {"text/csv", ""};
      case 4 ->
          new String[] {"text/csv", "\ufeffsku,prompt,count\nbom,a mug," + mutatedValue(r) + "\n"};
      case 5 -> new String[] {"text/csv", "prompt\nno sku column\n"};
      case 6 ->
          new String[] {
            "text/csv", "sku,template\nt,{missing} {missing} {" + "x".repeat(100) + "}\n"
          };
      case 7 -> new String[] {"application/x-ndjson", "{\"sku\":1}\n{garbage\n\u0000\n[]\n"};
      case 8 ->
          new String[] {"application/x-ndjson", "{\"sku\":\"d\",\"sku\":\"e\",\"prompt\":\"x\"}\n"};
      case 9 ->
          new String[] {
            "application/x-ndjson", "{\"sku\":\"n\",\"prompt\":" + mutatedValue(r) + "}\n"
          };
      case 10 -> new String[] {"application/json", "[{\"sku\":\"a\",\"prompt\":\"x\"},"};
      case 11 -> new String[] {"application/json", "{\"not\":\"an array\"}"};
      case 12 -> new String[] {"application/json", "[" + "[".repeat(3000) + "]"};
      default ->
          new String[] {
            "multipart/form-data; boundary=xyz",
            "--xyz\r\nContent-Disposition: form-data; name=\"nofile\"\r\n\r\nx\r\n--xyz--\r\n"
          };
    };
  }

  private static final List<String> BAD_TYPES =
      List.of(
          "text/plain",
          "application/xml",
          "application/x-www-form-urlencoded",
          "image/png",
          "multipart/form-data",
          "application/json; charset=latin-7",
          "*/*",
          ";;;",
          "application/problem+json");

  /** A query string with a bad value for a parameter the API knows (or one it does not). */
  private static String badQuery(Random r) {
    String name =
        List.of(
                "limit",
                "format",
                "source",
                "topic",
                "mode",
                "team",
                "name",
                "profile",
                "count",
                "seed",
                "template",
                "webhook",
                "negativePrompt",
                "before",
                "since",
                "until",
                "actor",
                "action",
                "revoked",
                "unknown")
            .get(r.nextInt(20));
    String value =
        List.of(
                "-1",
                "0",
                "abc",
                "99999999999999999999",
                "1.5",
                "%00",
                "%0a",
                "x".repeat(1500),
                "true%00",
                "%ED%A0%80",
                "%FF",
                "csv%00",
                "topics",
                "http://10.0.0.1/",
                "http://169.254.169.254/",
                "2026-13-45",
                "",
                "%E2%80%AE",
                "jsonl",
                "reject-all")
            .get(r.nextInt(20));
    return "?" + name + "=" + value + (r.nextBoolean() ? "&" + name + "=twice" : "");
  }

  /** Malformed requests for one operation, about {@code n} of them. */
  private static List<Probe> fuzz(Operation op, int n, Random r) {
    List<Probe> out = new ArrayList<>(n);
    String key = allowedKey(op);
    for (int i = 0; i < n; i++) {
      String path = onTeamA(op.path());
      String type = op.body() ? "application/json" : null;
      byte[] body = op.body() ? object(fieldsOf(op)).getBytes(StandardCharsets.UTF_8) : null;
      int kind = r.nextInt(op.body() ? 5 : 3);
      if (kind == 0 && op.path().contains("{")) {
        String bad = BAD_IDS.get(r.nextInt(BAD_IDS.size()));
        path = op.path().replaceAll("\\{[^}]+}", bad);
      } else if (kind <= 1) {
        path = path + badQuery(r);
      } else if (kind == 2 && !op.body()) {
        // A body where none belongs, with any type.
        type = BAD_TYPES.get(r.nextInt(BAD_TYPES.size()));
        body = badJsonBody(op, r).getBytes(StandardCharsets.UTF_8);
      } else if (kind == 2 || kind == 3) {
        if (op.path().equals("/api/v1/batches") && op.method().equals("POST")) {
          String[] c = badCatalogue(r);
          type = c[0];
          body = c[1].getBytes(StandardCharsets.UTF_8);
        } else {
          body = badJsonBody(op, r).getBytes(StandardCharsets.UTF_8);
        }
      } else {
        type = r.nextInt(4) == 0 ? null : BAD_TYPES.get(r.nextInt(BAD_TYPES.size()));
        body =
            r.nextBoolean()
                ? badJsonBody(op, r).getBytes(StandardCharsets.UTF_8)
                : new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3, (byte) 0x28};
      }
      out.add(new Probe(op, path, key, type, body, null));
    }
    return out;
  }

  @Test
  @Order(2)
  void tenThousandMalformedRequestsGetNo5xxAndEveryRefusalSaysWhy() throws Exception {
    setUp();
    int before = SENT.get();
    Random r = new Random(2026);
    int perOperation = MIN_REQUESTS / operations.size() + 1;
    List<Probe> probes = new ArrayList<>();
    for (Operation op : operations) {
      probes.addAll(fuzz(op, perOperation, r));
    }
    Collections.shuffle(probes, r);
    long t0 = System.nanoTime();
    sendAll(probes);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    int sent = SENT.get() - before;
    System.out.printf(
        "ABUSE malformed requests: %d sent in %d ms over %d operations%n",
        sent, ms, operations.size());
    System.out.println("ABUSE per operation (sent / past authentication):");
    new TreeMap<>(PER_OPERATION)
        .forEach((op, c) -> System.out.printf("  %-60s %6d / %6d%n", op, c[0], c[1]));
    System.out.println("ABUSE answers by status: " + new TreeMap<>(BY_STATUS));
    System.out.println(
        "ABUSE 5xx answers: "
            + BY_STATUS.entrySet().stream()
                .filter(e -> e.getKey() >= 500)
                .mapToInt(e -> e.getValue().get())
                .sum());
    VIOLATIONS.stream().limit(40).forEach(v -> System.out.println("ABUSE VIOLATION " + v));
    assertThat(sent).isGreaterThanOrEqualTo(MIN_REQUESTS);
    assertThat(VIOLATIONS).as("%d violations", VIOLATIONS.size()).isEmpty();
    // Every operation was reached past authentication with its valid keys.
    for (Operation op : operations) {
      assertThat(PER_OPERATION.get(op.name())[1]).as(op.name()).isPositive();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Poison and forged records on every topic

  @Test
  @Order(3)
  void poisonOnEveryTopicIsDeadLetteredAndTheFarmServesOn() throws Exception {
    setUp();
    asAdmin().when().post("/api/v1/admin/dispatch/resume").then().statusCode(200);
    JsonPath finishedBefore =
        asAdmin().when().get("/api/v1/jobs/" + jobA).then().extract().jsonPath();
    assertThat(finishedBefore.getString("state")).isEqualTo("SUCCEEDED");
    String run = "abuse-" + UUID.randomUUID().toString().substring(0, 8);
    byte[] v1 = MessageRules.schemaHeader(1);
    UUID job = UUID.fromString(jobA);
    Map<String, List<ProducerRecord<String, byte[]>>> poison = new LinkedHashMap<>();
    // The test worker's jobs topic: the one of the model it serves (Topics.jobsFor).
    String jobs = Topics.jobsFor(dev.turbofarm.testfixtures.ChaosPipeline.MODEL_ID);
    poison.put(
        jobs,
        List.of(
            TestRecords.raw(jobs, run + "-job-empty", bytes("{}"), v1),
            TestRecords.raw(jobs, run + "-job-garbage", new byte[] {0, (byte) 0xff, 'x'}, v1),
            TestRecords.raw(
                jobs,
                run + "-job-schema9",
                Json.write(jobMessage(512, "x")),
                MessageRules.schemaHeader(9)),
            TestRecords.raw(jobs, run + "-job-width0", Json.write(jobMessage(0, "a red mug")), v1),
            TestRecords.raw(
                jobs, run + "-job-huge", Json.write(jobMessage(512, "x".repeat(300_000))), v1)));
    ResultMessage forged =
        result(job, 1, 0, 999_999, "/etc/passwd"); // a finished job's image, other seed and place
    ResultMessage forgedAttempt = result(job, 7, 0, 7, "/r/" + key(job)); // an attempt never sent
    ResultMessage nullPath = result(job, 1, 0, 7, null);
    poison.put(
        Topics.RESULTS,
        List.of(
            TestRecords.raw(Topics.RESULTS, run + "-result-empty", bytes("{}"), v1),
            TestRecords.raw(Topics.RESULTS, run + "-result-garbage", bytes("\u0000garbage"), v1),
            TestRecords.raw(Topics.RESULTS, run + "-result-noheader", Json.write(nullPath), null),
            TestRecords.raw(Topics.RESULTS, run + "-result-nullpath", Json.write(nullPath), v1),
            TestRecords.raw(Topics.RESULTS, run + "-result-forged", Json.write(forged), v1),
            TestRecords.raw(
                Topics.RESULTS, run + "-result-forged-attempt", Json.write(forgedAttempt), v1)));
    poison.put(
        Topics.HEARTBEATS,
        List.of(
            TestRecords.raw(Topics.HEARTBEATS, run + "-hb-empty", bytes("{}"), v1),
            TestRecords.raw(Topics.HEARTBEATS, run + "-hb-garbage", bytes("]]]"), v1),
            TestRecords.raw(
                Topics.HEARTBEATS, run + "-hb-noheader", Json.write(heartbeat(run + "-w")), null),
            TestRecords.raw(
                Topics.HEARTBEATS,
                run + "-hb-negative",
                Json.write(
                    new Heartbeat(
                        1,
                        run + "-w",
                        "h",
                        Heartbeat.WorkerState.READY,
                        "m",
                        -5,
                        0,
                        List.of(),
                        -1,
                        -1.0,
                        -1,
                        -1,
                        1)),
                v1)));
    try (KafkaProducer<String, byte[]> p = TestRecords.producer()) {
      for (List<ProducerRecord<String, byte[]>> records : poison.values()) {
        for (ProducerRecord<String, byte[]> rec : records) {
          p.send(rec).get(30, TimeUnit.SECONDS);
        }
      }
    }
    // A new job still succeeds, within 60 s.
    long t0 = System.nanoTime();
    String fresh =
        TestKeys.as(keys.get("submitter"))
            .contentType("application/json")
            .body("{\"prompt\":\"a green mug after the poison\"}")
            .when()
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    JsonPath done =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> asAdmin().when().get("/api/v1/jobs/" + fresh).then().extract().jsonPath(),
                j -> "SUCCEEDED".equals(j.getString("state")));
    long afterMs = (System.nanoTime() - t0) / 1_000_000;
    // The finished job is as it was.
    JsonPath finishedAfter =
        asAdmin().when().get("/api/v1/jobs/" + jobA).then().extract().jsonPath();
    for (String field :
        List.of(
            "state",
            "attempt",
            "completedAt",
            "images[0].path",
            "images[0].seed",
            "images[0].workerId")) {
      assertThat(finishedAfter.getString(field))
          .as(field)
          .isEqualTo(finishedBefore.getString(field));
    }
    // Every bad record is listed as a dead letter, with its topic and a reason.
    Map<String, Integer> listedPerTopic = new TreeMap<>();
    await("every bad record listed as a dead letter")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              List<Map<String, Object>> listed =
                  asAdmin()
                      .queryParam("source", "topics")
                      .queryParam("limit", 1000)
                      .when()
                      .get("/api/v1/admin/dead-letters")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath()
                      .getList("findAll { it.key != null && it.key.startsWith('" + run + "') }");
              listedPerTopic.clear();
              for (Map<String, Object> d : listed) {
                listedPerTopic.merge((String) d.get("topic"), 1, Integer::sum);
                assertThat((String) d.get("reason")).as("reason of " + d.get("key")).isNotBlank();
              }
              for (Map.Entry<String, List<ProducerRecord<String, byte[]>>> e : poison.entrySet()) {
                assertThat(listedPerTopic.getOrDefault(e.getKey(), 0))
                    .as("dead letters of " + e.getKey())
                    .isEqualTo(e.getValue().size());
              }
            });
    System.out.println(
        "ABUSE records poisoned per topic: "
            + poison.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().size(), (a, b) -> a, TreeMap::new)));
    System.out.println("ABUSE records dead-lettered and listed per topic: " + listedPerTopic);
    System.out.printf(
        "ABUSE jobs that still succeeded afterwards: 1 (job %s, %d ms after the poison); the"
            + " finished job %s is unchanged%n",
        done.getString("id"), afterMs, jobA);
  }

  private static String key(UUID job) {
    String id = job.toString();
    return id.substring(0, 2) + "/" + id + "/0.png";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static JobMessage jobMessage(int width, String prompt) {
    return new JobMessage(
        JobMessage.SCHEMA,
        UUID.randomUUID(),
        1,
        TEAM_A,
        prompt,
        "",
        "draft",
        width,
        512,
        10,
        6.0,
        List.of(1L),
        1,
        1,
        null,
        null,
        0);
  }

  private static Heartbeat heartbeat(String worker) {
    return new Heartbeat(
        Heartbeat.SCHEMA,
        worker,
        "host",
        Heartbeat.WorkerState.READY,
        "m",
        4,
        0,
        List.of(),
        0,
        0.0,
        1,
        1,
        System.currentTimeMillis());
  }

  /** A schema 1 result (a path on the worker), which the coordinator still reads. */
  private static ResultMessage result(UUID job, int attempt, int index, long seed, String path) {
    return new ResultMessage(
        ResultMessage.SCHEMA_PATH,
        job,
        attempt,
        index,
        ResultMessage.Status.SUCCEEDED,
        null,
        path,
        seed,
        512,
        512,
        10,
        6.0,
        "forged-model",
        "forged-worker",
        1,
        1,
        1,
        0.5,
        null,
        System.currentTimeMillis(),
        false,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Webhook targets

  @Test
  @Order(4)
  void webhooksIntoTheFarmsNetworksAreRefusedAtIntake() throws Exception {
    setUp();
    TestHostResolver.script("abuse-intranet.test", List.of("192.168.10.20"));
    TestHostResolver.script("abuse-metadata.test", List.of("169.254.169.254"));
    Operation submit =
        operations.stream()
            .filter(o -> o.name().equals("POST /api/v1/batches"))
            .findFirst()
            .orElseThrow();
    List<Probe> probes = new ArrayList<>();
    // 127.0.0.1 is the one loopback address the tests allow (their receivers); 127.0.0.2 is not.
    for (String hook :
        List.of(
            "http://127.0.0.2/x",
            "http://10.0.0.1/x",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/x",
            "http://[::ffff:10.0.0.1]/x",
            "http://[fd00:ec2::254]/x",
            "http://100.64.0.1/x",
            "http://0.0.0.0/x",
            "http://224.0.0.1/x",
            "http://abuse-intranet.test/x",
            "http://abuse-metadata.test/x",
            "gopher://127.0.0.1/x",
            "http://user:pass@127.0.0.1/x")) {
      probes.add(
          new Probe(
              submit,
              "/api/v1/batches?webhook=" + URLEncoder.encode(hook, StandardCharsets.UTF_8),
              keys.get("submitter"),
              "text/csv",
              bytes("sku,prompt\nw,a mug\n"),
              Set.of(400)));
    }
    int violationsBefore = VIOLATIONS.size();
    sendAll(probes);
    System.out.printf(
        "ABUSE webhook targets refused at intake: %d of %d%n",
        probes.size() - (VIOLATIONS.size() - violationsBefore), probes.size());
    assertThat(VIOLATIONS).isEmpty();
  }

  @Test
  @Order(5)
  void totals() {
    int fivexx =
        BY_STATUS.entrySet().stream()
            .filter(e -> e.getKey() >= 500)
            .mapToInt(e -> e.getValue().get())
            .sum();
    System.out.printf(
        "ABUSE totals: %d requests sent, answers by status %s, %d answers 5xx%n",
        SENT.get(), new TreeMap<>(BY_STATUS), fivexx);
    assertThat(fivexx).isZero();
    assertThat(SENT.get()).isGreaterThanOrEqualTo(MIN_REQUESTS);
  }
}
