package dev.turbofarm.coordinator.batch.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.coordinator.image.service.ImageUrls;
import dev.turbofarm.coordinator.job.persistence.ImageRepository;
import dev.turbofarm.coordinator.job.persistence.ImageRepository.ManifestCursor;
import dev.turbofarm.coordinator.job.persistence.ImageRepository.ManifestPage;
import dev.turbofarm.coordinator.job.persistence.ImageRepository.ManifestRow;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.store.ResultStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A batch's manifest: one line per image the batch asked for, rendered or not, in catalogue order,
 * read page by page ({@link #PAGE_JOBS} jobs a page, keyset on catalogue order), so a 100k-row
 * batch never sits in memory and a client that reads slowly holds no database connection: each
 * page's query returns its connection to the pool before the page is written. Each rendered image
 * has its absolute {@code url}, {@code thumbnail_url} and {@code sha256}; {@code path} only with
 * the filesystem store, and none once retention deleted the image (its URL then answers 410).
 */
@ApplicationScoped
public class Manifest {
  /** Columns, in order; the JSON Lines keys are the same names. */
  public static final String[] COLUMNS = {
    "sku",
    "job_id",
    "image_index",
    "path",
    "seed",
    "profile",
    "size",
    "quality",
    "state",
    "reason",
    "url",
    "thumbnail_url",
    "sha256",
    "verdict",
    "rating"
  };

  /** The selections of {@code ?verdict=}: every image, or those with that review state. */
  public static final List<String> VERDICT_FILTERS =
      List.of("all", "approved", "rejected", "unreviewed");

  /** Jobs per page, jobs: at most 8 images each, so a page is at most 16,000 lines (~2 MB). */
  static final int PAGE_JOBS = 2_000;

  private final ImageRepository images;
  private final BatchProgress progress;
  private final ObjectMapper json;
  private final ResultStore store;

  Manifest(ImageRepository images, BatchProgress progress, ObjectMapper json, ResultStore store) {
    this.images = images;
    this.progress = progress;
    this.json = json;
    this.store = store;
  }

  /** A manifest line with what is derived from the row: path and links. */
  private record Line(ManifestRow r, String path, String url, String thumbnailUrl) {}

  private Line line(ManifestRow r, URI base) {
    if (r.storageKey() == null) {
      return new Line(r, null, null, null);
    }
    String path =
        r.expiredAt() == null
            ? store.localPath(r.storageKey()).map(java.nio.file.Path::toString).orElse(null)
            : null;
    return new Line(
        r,
        path,
        ImageUrls.image(base, r.jobId(), r.imageIndex()).toString(),
        r.thumbnails().contains(ImageUrls.DEFAULT_THUMBNAIL)
            ? ImageUrls.thumbnail(base, r.jobId(), r.imageIndex(), ImageUrls.DEFAULT_THUMBNAIL)
                .toString()
            : null);
  }

  /**
   * Fails with {@link BatchNotFoundException} before any byte is written, for an unknown batch and
   * for another team's.
   */
  public void requireBatch(UUID id, Caller caller) {
    progress.requireReadable(id, caller);
  }

  /**
   * Writes the manifest as CSV (with a header) or as JSON Lines; links start from {@code base}.
   *
   * @param verdict one of {@link #VERDICT_FILTERS}: {@code approved} exports the chosen images
   */
  public void write(UUID id, boolean csv, String verdict, URI base, OutputStream out)
      throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    if (csv) {
      w.write(String.join(",", COLUMNS));
      w.write('\n');
    }
    ManifestCursor cursor = ImageRepository.MANIFEST_START;
    ManifestPage page;
    do {
      page = images.manifestPage(id, verdict, cursor, PAGE_JOBS);
      for (ManifestRow row : page.rows()) {
        if (csv) {
          csvLine(w, line(row, base));
        } else {
          jsonLine(w, line(row, base));
        }
      }
      // The page's connection is back in the pool: a slow reader blocks only this thread here.
      w.flush();
      cursor = page.next();
    } while (page.jobs() == PAGE_JOBS);
  }

  private static void csvLine(Writer w, Line l) throws IOException {
    ManifestRow r = l.r();
    w.write(csv(r.sku()));
    w.write(',');
    w.write(r.jobId().toString());
    w.write(',');
    w.write(Integer.toString(r.imageIndex()));
    w.write(',');
    w.write(csv(l.path()));
    w.write(',');
    w.write(Long.toString(r.seed()));
    w.write(',');
    w.write(csv(r.profile()));
    w.write(',');
    w.write(r.size());
    w.write(',');
    if (r.quality() != null) {
      w.write(Double.toString(r.quality()));
    }
    w.write(',');
    w.write(r.state());
    w.write(',');
    w.write(csv(r.reason()));
    w.write(',');
    w.write(csv(l.url()));
    w.write(',');
    w.write(csv(l.thumbnailUrl()));
    w.write(',');
    w.write(csv(l.url() == null ? null : r.sha256()));
    w.write(',');
    w.write(csv(r.verdict()));
    w.write(',');
    if (r.rating() != null) {
      w.write(Integer.toString(r.rating()));
    }
    w.write('\n');
  }

  private void jsonLine(Writer w, Line l) throws IOException {
    ManifestRow r = l.r();
    try (JsonGenerator g = json.getFactory().createGenerator(w)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("sku", r.sku());
      g.writeStringField("job_id", r.jobId().toString());
      g.writeNumberField("image_index", r.imageIndex());
      g.writeStringField("path", l.path());
      g.writeNumberField("seed", r.seed());
      g.writeStringField("profile", r.profile());
      g.writeStringField("size", r.size());
      if (r.quality() == null) {
        g.writeNullField("quality");
      } else {
        g.writeNumberField("quality", r.quality());
      }
      g.writeStringField("state", r.state());
      g.writeStringField("reason", r.reason());
      g.writeStringField("url", l.url());
      g.writeStringField("thumbnail_url", l.thumbnailUrl());
      g.writeStringField("sha256", l.url() == null ? null : r.sha256());
      g.writeStringField("verdict", r.verdict());
      if (r.rating() == null) {
        g.writeNullField("rating");
      } else {
        g.writeNumberField("rating", r.rating());
      }
      g.writeEndObject();
    }
    w.write('\n');
  }

  /** RFC 4180 quoting: only when the value needs it; null is an empty field. */
  static String csv(String v) {
    if (v == null) {
      return "";
    }
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }
}
