package dev.turbofarm.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Bulk intake rate: a CSV catalogue POSTed to {@code /api/v1/batches} until its 202 (parse,
 * validate every row, COPY, commit), beside the raw limit measured in the same run on the same
 * database: a plain JDBC COPY of the same rows into the job table, nothing else.
 */
@Command(
    name = "intake",
    mixinStandardHelpOptions = true,
    description =
        "Bulk intake rows/s (10k and 100k-row CSV, POST /api/v1/batches until 202) beside a raw JDBC COPY of the same rows; appends to docs/benchmarks.md.")
public final class IntakeBench implements Callable<Integer> {
  /** Row counts measured, rows. */
  static final int[] SIZES = {10_000, 100_000};

  @Mixin FarmCli.FarmArgs args;

  @Option(
      names = "--runs",
      defaultValue = "5",
      description =
          "measured runs per size and method, after one warm-up (default ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--no-append", description = "do not append to docs/benchmarks.md")
  boolean noAppend;

  private static final String[] COLORS = {
    "red", "blue", "green", "yellow", "black", "orange", "purple", "pink"
  };
  private static final String[] PRODUCTS = {
    "mug", "sneaker", "t-shirt", "bottle", "handbag", "lamp"
  };
  private static final String[] BACKGROUNDS = {"white", "grey", "wood", "outdoor"};

  @Override
  public Integer call() throws Exception {
    FarmOptions o = args.options().withPipeline("instant").withWorkers(0);
    if (args.dataDir == null) {
      // A bench run must not mix its jobs into the user's farm data.
      o = o.withDataDir(FarmCli.home().resolve("farm-data/bench"));
    }
    String command = "./farm bench intake --runs " + runs;
    StringBuilder md = new StringBuilder();
    md.append("\n### Run ")
        .append(Instant.now())
        .append("\n\nCommand: `")
        .append(command)
        .append("`  \n");
    md.append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ")
        .append(System.getProperty("java.version"))
        .append("\n\n");
    md.append(
        "| rows | method | runs | min ms | median ms | best rows/s | median rows/s |\n|---|---|---|---|---|---|---|\n");
    try (Farm farm = Farm.start(o)) {
      HttpClient http = HttpClient.newHttpClient();
      for (int size : SIZES) {
        byte[] csv = csv(size);
        String copy = copyText(size);
        List<Long> api = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        for (int run = 0; run <= runs; run++) {
          long a = post(http, farm.coordinatorUrl(), csv, size);
          long r = rawCopy(farm, copy);
          if (run > 0) { // run 0 warms the JIT, the plan cache and the page cache
            api.add(a);
            raw.add(r);
          }
          System.out.printf(
              Locale.ROOT,
              "%,d rows: API %d ms, raw COPY %d ms%s%n",
              size,
              a,
              r,
              run == 0 ? " (warm-up)" : "");
        }
        md.append(row(size, "POST /api/v1/batches (CSV) until 202", api));
        md.append(row(size, "raw JDBC COPY of the same rows", raw));
      }
    }
    md.append(
        "\nThe API figure includes HTTP, CSV parsing, validation of every row (JobRules), the quota check, the batch row and the COPY, committed before the 202.\n");
    System.out.println(md);
    if (!noAppend) {
      Path doc = FarmCli.home().resolve("docs/benchmarks.md");
      Files.createDirectories(doc.getParent());
      if (!Files.exists(doc) || !Files.readString(doc).contains("## Bulk intake")) {
        Files.writeString(
            doc,
            (Files.exists(doc) ? "\n" : "# Benchmarks\n")
                + "\n## Bulk intake\n\n"
                + "A CSV catalogue (sku, color, product, background; prompts from a template) POSTed to `/api/v1/batches` until the 202 "
                + "(every job durable and QUEUED), beside a plain JDBC COPY of the same rows into the same job table in the same run. "
                + "Each batch is cancelled after its run so the queue does not grow.\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      Files.writeString(doc, md.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      System.out.println("appended to " + doc);
    }
    return 0;
  }

  static String row(int size, String method, List<Long> ms) {
    List<Long> v = new ArrayList<>(ms);
    Collections.sort(v);
    long min = v.get(0);
    long median = v.get(v.size() / 2);
    return String.format(
        Locale.ROOT,
        "| %,d | %s | %d | %d | %d | %,.0f | %,.0f |%n",
        size,
        method,
        v.size(),
        min,
        median,
        size * 1000.0 / min,
        size * 1000.0 / median);
  }

  static byte[] csv(int rows) {
    StringBuilder sb = new StringBuilder(rows * 48).append("sku,color,product,background\n");
    for (int i = 0; i < rows; i++) {
      sb.append("SKU-")
          .append(i)
          .append(',')
          .append(COLORS[i % COLORS.length])
          .append(',')
          .append(PRODUCTS[i % PRODUCTS.length])
          .append(',')
          .append(BACKGROUNDS[i % BACKGROUNDS.length])
          .append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The same rows as COPY text, as the coordinator would resolve them (draft profile). */
  static String copyText(int rows) {
    StringBuilder sb = new StringBuilder(rows * 160);
    // A batch id like the API's rows, so both maintain the same indexes.
    String batch = UUID.randomUUID().toString();
    for (int i = 0; i < rows; i++) {
      sb.append(UUID.randomUUID())
          .append("\tbench-raw\tQUEUED\ta ")
          .append(COLORS[i % COLORS.length])
          .append(' ')
          .append(PRODUCTS[i % PRODUCTS.length])
          .append(" on a ")
          .append(BACKGROUNDS[i % BACKGROUNDS.length])
          .append(" background\t\tdraft\t512\t512\t10\t6.0\t{")
          .append(i)
          .append("}\t1\t0\t2026-01-01 00:00:00+00\t")
          .append(batch)
          .append("\tSKU-")
          .append(i)
          .append('\n');
    }
    return sb.toString();
  }

  private static long post(HttpClient http, URI base, byte[] csv, int rows)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    base.resolve(
                        "/api/v1/batches?team=bench&template="
                            + "a%20%7Bcolor%7D%20%7Bproduct%7D%20on%20a%20%7Bbackground%7D%20background"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(csv))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (r.statusCode() != 202) {
      throw new FarmException("POST /api/v1/batches answered " + r.statusCode() + ": " + r.body());
    }
    String id = FarmClient.parse(r.body()).path("id").asText();
    if (FarmClient.parse(r.body()).path("accepted").asInt() != rows) {
      throw new FarmException(
          "batch " + id + " accepted fewer than " + rows + " rows: " + r.body());
    }
    http.send(
        HttpRequest.newBuilder(base.resolve("/api/v1/batches/" + id + "/cancel"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
    return ms;
  }

  private static long rawCopy(Farm farm, String copy) throws SQLException {
    try (Connection c =
        DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword())) {
      c.setAutoCommit(false);
      byte[] bytes = copy.getBytes(StandardCharsets.UTF_8);
      long t0 = System.nanoTime();
      var in =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "COPY job (id, team, state, prompt, negative_prompt, profile, width, height, steps, guidance,"
                      + " seeds, image_count, priority, created_at, batch_id, sku) FROM STDIN");
      int chunk = 1 << 20;
      for (int off = 0; off < bytes.length; off += chunk) {
        in.writeToCopy(bytes, off, Math.min(chunk, bytes.length - off));
      }
      in.endCopy();
      c.commit();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      // Out of the dispatcher's way, and not counted against anyone's quota.
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM job WHERE team = 'bench-raw'");
      }
      c.commit();
      return ms;
    }
  }
}
