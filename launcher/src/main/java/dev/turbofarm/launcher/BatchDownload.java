package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code farm manifest BATCH --download DIR}: every rendered image of a batch into {@code DIR},
 * named {@code SKU_index.png} as in the batch's ZIP, each checked against the SHA-256 the worker
 * recorded (the manifest's {@code sha256}). A file already there with that checksum (so that size
 * too) is skipped, so an interrupted download resumes; a download goes to a temporary name first
 * and is renamed once its checksum matches.
 */
final class BatchDownload {
  /** One image's wait, s: a 12 MB image on a slow link takes seconds. */
  private static final Duration IMAGE_TIMEOUT = Duration.ofSeconds(300);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI coordinator;
  private final String apiKey;

  /** Downloads without a key (URLs that need none). */
  BatchDownload() {
    this(null, null);
  }

  /**
   * @param coordinator the coordinator's URL: image URLs there get {@code apiKey}, others none
   */
  BatchDownload(URI coordinator, String apiKey) {
    this.coordinator = coordinator;
    this.apiKey = apiKey;
  }

  /** What a download did. */
  record Outcome(int downloaded, int skipped, List<String> problems, long bytes) {}

  Outcome run(List<JsonNode> manifest, Path dir, PrintStream out) throws IOException {
    Files.createDirectories(dir);
    Names names = new Names();
    List<JsonNode> images =
        manifest.stream().filter(l -> l.hasNonNull("url") && l.hasNonNull("sha256")).toList();
    int done = 0;
    int downloaded = 0;
    int skipped = 0;
    long bytes = 0;
    List<String> problems = new java.util.ArrayList<>();
    long t0 = System.nanoTime();
    boolean tty = System.console() != null;
    for (JsonNode img : images) {
      String name = names.next(img.path("sku").asText(null), img.path("image_index").asInt());
      Path file = dir.resolve(name);
      String sha = img.path("sha256").asText();
      if (Files.isRegularFile(file) && sha.equals(sha256(file))) {
        skipped++;
      } else {
        try {
          bytes += fetch(URI.create(img.path("url").asText()), file, sha);
          downloaded++;
        } catch (IOException | FarmException e) {
          problems.add(name + ": " + e.getMessage());
        }
      }
      done++;
      String line = progress(done, images.size(), bytes, System.nanoTime() - t0, skipped);
      if (tty) {
        out.print("\r" + line + "   ");
      } else if (done == images.size() || done % 50 == 0) {
        out.println(line);
      }
    }
    if (tty) {
      out.println();
    }
    return new Outcome(downloaded, skipped, problems, bytes);
  }

  private long fetch(URI url, Path file, String sha) throws IOException {
    Path part = file.resolveSibling("." + file.getFileName() + ".part");
    HttpRequest r =
        FarmClient.authorized(HttpRequest.newBuilder(url), url, coordinator, apiKey)
            .timeout(IMAGE_TIMEOUT)
            .GET()
            .build();
    HttpResponse<InputStream> a;
    try {
      a = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FarmException("interrupted");
    }
    MessageDigest d = digest();
    long n;
    try (InputStream in = new DigestInputStream(a.body(), d);
        OutputStream o = Files.newOutputStream(part)) {
      if (a.statusCode() != 200) {
        throw new FarmException("GET " + url + " answered " + a.statusCode());
      }
      n = in.transferTo(o);
    }
    String got = HexFormat.of().formatHex(d.digest());
    if (!got.equals(sha)) {
      Files.deleteIfExists(part);
      throw new FarmException(
          "downloaded bytes have SHA-256 " + got + ", the manifest says " + sha);
    }
    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return n;
  }

  static String progress(int done, int total, long bytes, long nanos, int skipped) {
    int width = 30;
    int filled = total == 0 ? width : width * done / total;
    double s = Math.max(1e-9, nanos / 1e9);
    return String.format(
        Locale.ROOT,
        "[%s%s] %d/%d images  %.1f MB  %.1f MB/s  %d already there",
        "#".repeat(filled),
        ".".repeat(width - filled),
        done,
        total,
        bytes / 1e6,
        bytes / 1e6 / s,
        skipped);
  }

  static String sha256(Path file) throws IOException {
    MessageDigest d = digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /**
   * {@code SKU_index.png}, the SKU made safe for file names and unique, exactly as the coordinator
   * names the batch's ZIP entries (image.service.ZipNames).
   */
  static final class Names {
    static final int MAX_SKU = 120;
    private final Set<String> used = new HashSet<>();

    String next(String sku, int index) {
      String base = safe(sku) + "_" + index;
      String name = base + ".png";
      for (int n = 2; !used.add(name); n++) {
        name = base + "~" + n + ".png";
      }
      return name;
    }

    static String safe(String sku) {
      if (sku == null || sku.isBlank()) {
        return "image";
      }
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < sku.length() && b.length() < MAX_SKU; i++) {
        char c = sku.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '_'
                || (c == '.' && b.length() > 0);
        b.append(ok ? c : '_');
      }
      return b.toString();
    }
  }
}
