package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farm bench storage}: serving results. A batch of incompressible images (the {@code noise}
 * stub, so bytes are realistic) is rendered; then, in one run, a plain sequential read of its PNG
 * files (filesystem store) and a sequential GET of each image URL beside the batch's ZIP export
 * (MB/s), with the coordinator's heap before, at most during, and after the ZIP; then single image
 * GETs from concurrent clients (p50/p99).
 */
@Command(
    name = "storage",
    mixinStandardHelpOptions = true,
    description =
        "ZIP export MB/s of a batch beside a plain read of its files, the coordinator's heap around"
            + " it, single image GET p50/p99 under concurrent clients; appends to docs/benchmarks.md.")
public final class StorageBench implements Callable<Integer> {
  private static final Pattern HEAP =
      Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)$");

  private static final Pattern DIRECT =
      Pattern.compile("(?m)^jvm_buffer_memory_used_bytes\\{[^}]*id=\"direct\"[^}]*} (\\S+)$");

  @Mixin FarmCli.FarmArgs args;

  @Option(
      names = "--images",
      defaultValue = "1000",
      description = "images in the batch (default ${DEFAULT-VALUE})")
  int images;

  @Option(
      names = "--size",
      defaultValue = "512",
      description = "image width and height, px (default ${DEFAULT-VALUE})")
  int size;

  @Option(
      names = "--clients",
      defaultValue = "16",
      description = "concurrent clients of the GET test (default ${DEFAULT-VALUE})")
  int clients;

  @Option(
      names = "--requests",
      defaultValue = "2000",
      description = "GETs in all in the concurrent test (default ${DEFAULT-VALUE})")
  int requests;

  @Option(
      names = "--coordinator-heap-mb",
      defaultValue = "256",
      description = "the coordinator's -Xmx, MiB (default ${DEFAULT-VALUE})")
  int coordinatorHeapMb;

  @Option(names = "--no-append", description = "do not append to docs/benchmarks.md")
  boolean noAppend;

  /** HTTP/1.1, one connection per request in flight, as curl and browsers fetch images. */
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Override
  public Integer call() throws Exception {
    FarmOptions o =
        args.options()
            .withPipeline("noise")
            .withWorkers(1)
            .withCoordinatorHeapMb(coordinatorHeapMb);
    if (args.dataDir == null) {
      o =
          o.withDataDir(
              FarmCli.home().resolve("farm-data/bench-storage-" + System.currentTimeMillis()));
    }
    String command =
        String.format(
            Locale.ROOT,
            "./farm bench storage --images %d --size %d --clients %d --requests %d --coordinator-heap-mb %d --storage %s",
            images,
            size,
            clients,
            requests,
            coordinatorHeapMb,
            o.storage());
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
        .append("; coordinator -Xmx")
        .append(coordinatorHeapMb)
        .append("m, ")
        .append(o.storage())
        .append(" store\n\n");
    try (Farm farm = Farm.start(o)) {
      key = farm.adminKey();
      FarmClient client = new FarmClient(farm.coordinatorUrl(), farm.adminKey());
      String batch = submit(farm);
      long t0 = System.nanoTime();
      while (true) {
        JsonNode b = client.get("/api/v1/batches/" + batch).body();
        System.out.println(BatchCommands.progressLine(b));
        if (b.path("done").asBoolean()) {
          break;
        }
        Thread.sleep(5000);
      }
      System.out.printf(
          Locale.ROOT,
          "rendered and stored %d images in %.0f s%n",
          images,
          (System.nanoTime() - t0) / 1e9);
      List<JsonNode> rows = manifest(farm, batch);
      List<URI> urls = new ArrayList<>();
      List<Path> files = new ArrayList<>();
      for (JsonNode r : rows) {
        if (r.hasNonNull("url")) {
          urls.add(URI.create(r.path("url").asText()));
          if (r.hasNonNull("path")) {
            files.add(Path.of(r.path("path").asText()));
          }
        }
      }
      md.append("| what | images | MB | s | MB/s |\n|---|---|---|---|---|\n");
      if (!files.isEmpty()) {
        long bytes = 0;
        long f0 = System.nanoTime();
        for (Path f : files) {
          try (InputStream in = Files.newInputStream(f)) {
            bytes += in.transferTo(OutputStream.nullOutputStream());
          }
        }
        md.append(
            row(
                "plain sequential read of the PNG files",
                files.size(),
                bytes,
                System.nanoTime() - f0));
      }
      long g0 = System.nanoTime();
      long gBytes = 0;
      for (URI u : urls) {
        gBytes += get(u).length;
      }
      md.append(
          row("sequential GET of each image URL", urls.size(), gBytes, System.nanoTime() - g0));
      URI metrics = farm.managementUrl().resolve("/q/metrics");
      long heapBefore = heap(metrics);
      for (int run = 1; run <= 2; run++) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong heapMax = new AtomicLong(heapBefore);
        AtomicLong directMax = new AtomicLong(direct(metrics));
        Thread sampler =
            new Thread(
                () -> {
                  while (running.get()) {
                    heapMax.accumulateAndGet(heap(metrics), Math::max);
                    directMax.accumulateAndGet(direct(metrics), Math::max);
                    sleep(100);
                  }
                });
        sampler.start();
        long z0 = System.nanoTime();
        HttpResponse<InputStream> r =
            http.send(
                request(farm.coordinatorUrl().resolve("/api/v1/batches/" + batch + "/images.zip"))
                    .timeout(Duration.ofMinutes(30))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long zipBytes;
        try (InputStream in = r.body()) {
          zipBytes = in.transferTo(OutputStream.nullOutputStream());
        }
        long zNanos = System.nanoTime() - z0;
        running.set(false);
        sampler.join();
        md.append(
            row("GET /api/v1/batches/{id}/images.zip, run " + run, urls.size(), zipBytes, zNanos));
        md.append(
            String.format(
                Locale.ROOT,
                "|   coordinator during ZIP run %d: heap used before %.0f MB, at most %.0f MB; direct"
                    + " buffers at most %.0f MB | | | | |%n",
                run,
                heapBefore / 1e6,
                heapMax.get() / 1e6,
                directMax.get() / 1e6));
      }
      long heapAfter = heap(metrics);
      md.append(
          String.format(
              Locale.ROOT,
              "|   coordinator heap used after the ZIPs: %.0f MB (before %.0f MB, -Xmx%dm) | | | | |%n",
              heapAfter / 1e6,
              heapBefore / 1e6,
              coordinatorHeapMb));
      md.append("\n").append(concurrentGets(urls)).append("\n");
    }
    md.append(
        "\nImages are seeded noise (the `noise` benchmark stub): PNGs that do not compress, so byte counts"
            + " are those of real renders or worse. The plain read and the URL GETs read the same images"
            + " as the ZIP, in the same run; the heap figures are `jvm_memory_used_bytes{area=\"heap\"}` from"
            + " the coordinator's /q/metrics, sampled every 100 ms.\n");
    System.out.println(md);
    if (!noAppend) {
      Path doc = FarmCli.home().resolve("docs/benchmarks.md");
      if (!Files.readString(doc).contains("## Result storage")) {
        Files.writeString(
            doc,
            "\n## Result storage\n\n`./farm bench storage`: a batch of incompressible images is rendered on"
                + " one worker; its ZIP export (`GET /api/v1/batches/{id}/images.zip`, streamed, STORED entries)"
                + " is timed beside a plain read of the same PNG files and a GET of each image URL, with the"
                + " coordinator's heap around it; then single image GETs from concurrent clients.\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
      }
      Files.writeString(doc, md.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      System.out.println("appended to " + doc);
    }
    return 0;
  }

  private String concurrentGets(List<URI> urls) throws Exception {
    // Warm-up: each client a few requests.
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      run(pool, urls, clients * 5, new ArrayList<>());
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      long t0 = System.nanoTime();
      long bytes = run(pool, urls, requests, latencies);
      double s = (System.nanoTime() - t0) / 1e9;
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      return String.format(
          Locale.ROOT,
          "| single image GET, %d concurrent clients | requests | p50 ms | p99 ms | max ms | req/s | MB/s |%n"
              + "|---|---|---|---|---|---|---|%n"
              + "| GET /api/v1/jobs/{id}/images/{i} (random images of the batch) | %d | %.1f | %.1f | %.1f | %.0f | %.1f |%n",
          clients,
          sorted.size(),
          sorted.get(sorted.size() / 2) / 1e6,
          sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1e6,
          sorted.get(sorted.size() - 1) / 1e6,
          sorted.size() / s,
          bytes / 1e6 / s);
    } finally {
      pool.shutdownNow();
    }
  }

  private long run(ExecutorService pool, List<URI> urls, int n, List<Long> latencies)
      throws Exception {
    List<Future<Long>> done = new ArrayList<>();
    int perClient = Math.max(1, n / clients);
    for (int c = 0; c < clients; c++) {
      SplittableRandom r = new SplittableRandom(c);
      done.add(
          pool.submit(
              () -> {
                long bytes = 0;
                for (int i = 0; i < perClient; i++) {
                  URI u = urls.get(r.nextInt(urls.size()));
                  long t = System.nanoTime();
                  bytes += get(u).length;
                  latencies.add(System.nanoTime() - t);
                }
                return bytes;
              }));
    }
    long bytes = 0;
    for (Future<Long> f : done) {
      bytes += f.get();
    }
    return bytes;
  }

  /** The farm's admin key, sent on every API request; null before the farm is up. */
  private String key;

  private HttpRequest.Builder request(URI u) {
    HttpRequest.Builder b = HttpRequest.newBuilder(u);
    return key == null ? b : b.header("Authorization", "Bearer " + key);
  }

  private byte[] get(URI u) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            request(u).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new FarmException("GET " + u + " answered " + r.statusCode());
    }
    return r.body();
  }

  private String submit(Farm farm) throws Exception {
    StringBuilder csv = new StringBuilder("sku,prompt,width,height\n");
    for (int i = 0; i < images; i++) {
      csv.append("BENCH-")
          .append(i)
          .append(",noise ")
          .append(i)
          .append(',')
          .append(size)
          .append(',')
          .append(size)
          .append('\n');
    }
    HttpResponse<String> r =
        http.send(
            request(farm.coordinatorUrl().resolve("/api/v1/batches?team=bench-storage"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new FarmException("POST /api/v1/batches answered " + r.statusCode() + ": " + r.body());
    }
    return FarmClient.parse(r.body()).path("id").asText();
  }

  private List<JsonNode> manifest(Farm farm, String batch) throws Exception {
    HttpResponse<String> r =
        http.send(
            request(
                    farm.coordinatorUrl()
                        .resolve("/api/v1/batches/" + batch + "/manifest?format=jsonl"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.body().lines().filter(l -> !l.isBlank()).map(FarmClient::parse).toList();
  }

  /** The coordinator's used heap, bytes: the sum over its heap pools; 0 when it cannot be read. */
  private long heap(URI metricsUrl) {
    return sum(HEAP, metricsUrl);
  }

  /** The coordinator's direct buffers in use, bytes. */
  private long direct(URI metricsUrl) {
    return sum(DIRECT, metricsUrl);
  }

  private long sum(Pattern p, URI metricsUrl) {
    String metrics;
    try {
      metrics =
          http.send(
                  request(metricsUrl).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    } catch (Exception e) {
      return 0;
    }
    Matcher m = p.matcher(metrics);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return (long) sum;
  }

  private static String row(String what, int n, long bytes, long nanos) {
    double s = nanos / 1e9;
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.1f | %.2f | %.1f |%n",
        what,
        n,
        bytes / 1e6,
        s,
        bytes / 1e6 / s);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
