package dev.turbofarm.coordinator.batch.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.coordinator.job.persistence.ImageRepository;
import dev.turbofarm.coordinator.job.persistence.ImageRepository.ManifestRow;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A batch's manifest: one line per image the batch asked for, rendered or not, in catalogue order,
 * streamed from a server-side cursor so a 100k-row batch never sits in memory.
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
    "verdict",
    "rating"
  };

  /** The selections of {@code ?verdict=}: every image, or those with that review state. */
  public static final List<String> VERDICT_FILTERS =
      List.of("all", "approved", "rejected", "unreviewed");

  /** Longest manifest download, s: the cursor's transaction stays open while a client reads. */
  private static final int STREAM_TIMEOUT_S = 3600;

  private final ImageRepository images;
  private final BatchProgress progress;
  private final ObjectMapper json;

  Manifest(ImageRepository images, BatchProgress progress, ObjectMapper json) {
    this.images = images;
    this.progress = progress;
    this.json = json;
  }

  /** Fails with {@link BatchNotFoundException} before any byte is written. */
  public void requireBatch(UUID id) {
    progress.of(id);
  }

  /**
   * Writes the manifest as CSV (with a header) or as JSON Lines.
   *
   * @param verdict one of {@link #VERDICT_FILTERS}: {@code approved} exports the chosen images
   */
  @Transactional
  @TransactionConfiguration(timeout = STREAM_TIMEOUT_S)
  public void write(UUID id, boolean csv, String verdict, OutputStream out) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    if (csv) {
      w.write(String.join(",", COLUMNS));
      w.write('\n');
    }
    try {
      images.forEachImageOfBatch(
          id,
          verdict,
          row -> {
            if (csv) {
              csvLine(w, row);
            } else {
              jsonLine(w, row);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    w.flush();
  }

  private static void csvLine(Writer w, ManifestRow r) throws IOException {
    w.write(csv(r.sku()));
    w.write(',');
    w.write(r.jobId().toString());
    w.write(',');
    w.write(Integer.toString(r.imageIndex()));
    w.write(',');
    w.write(csv(r.path()));
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
    w.write(csv(r.verdict()));
    w.write(',');
    if (r.rating() != null) {
      w.write(Integer.toString(r.rating()));
    }
    w.write('\n');
  }

  private void jsonLine(Writer w, ManifestRow r) throws IOException {
    try (JsonGenerator g = json.getFactory().createGenerator(w)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("sku", r.sku());
      g.writeStringField("job_id", r.jobId().toString());
      g.writeNumberField("image_index", r.imageIndex());
      g.writeStringField("path", r.path());
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
