package dev.turbofarm.coordinator.image.service;

import dev.turbofarm.coordinator.batch.service.BatchProgress;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.image.persistence.StoredImageRepository;
import dev.turbofarm.coordinator.image.persistence.StoredImageRepository.BatchImage;
import dev.turbofarm.coordinator.image.persistence.StoredImageRepository.Position;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.store.ResultStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jboss.logging.Logger;

/**
 * A batch's images as one ZIP, streamed while it is built: each image is copied from the result
 * store into the response through a 64 KB buffer, so the coordinator's memory does not grow with
 * the batch (the ZIP's central directory, about 100 bytes an entry, is all it keeps). Entries are
 * STORED (PNGs do not deflate) with the CRC-32 the worker recorded, so no entry is read twice;
 * Java's ZipOutputStream checks that CRC against the bytes it copies. Rows are read in pages by
 * keyset, so no database connection is held while a client reads. Resumable: {@code ?after=SKU}
 * starts after that SKU's images, with the same entry names a full download gives; {@code
 * ?verdict=approved} (or rejected, unreviewed) holds only the images with that review.
 */
@ApplicationScoped
public class BatchZip {
  private static final Logger LOG = Logger.getLogger(BatchZip.class);

  /** Rows read per page, images: one short query per page, no cursor held open. */
  static final int PAGE = 500;

  /** Copy buffer, bytes. */
  private static final int BUFFER = 1 << 16;

  private final StoredImageRepository images;
  private final BatchProgress batches;
  private final ResultStore store;
  private final Counter zipBytes;

  BatchZip(
      StoredImageRepository images, BatchProgress batches, ResultStore store, MeterRegistry m) {
    this.images = images;
    this.batches = batches;
    this.store = store;
    this.zipBytes = m.counter("turbofarm.storage.zip.bytes");
  }

  /**
   * Checks, before any byte is written, that the batch exists and {@code after} is one of its SKUs;
   * returns the job to resume after, or empty for the whole batch.
   *
   * @throws dev.turbofarm.coordinator.batch.service.BatchNotFoundException for an unknown batch
   * @throws InvalidInputProblem naming {@code after} for a SKU not in the batch
   */
  public Optional<UUID> prepare(UUID batchId, String after, Caller caller) {
    batches.requireReadable(batchId, caller);
    if (after == null || after.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        images
            .afterSku(batchId, after)
            .map(Position::jobId)
            .orElseThrow(
                () -> InvalidInputProblem.of("after", "SKU '" + after + "' is not in the batch")));
  }

  /** The selections of {@code ?verdict=}: every image, or those with that review state. */
  public static final List<String> VERDICTS = List.of("all", "approved", "rejected", "unreviewed");

  /**
   * The selection {@code verdict} names, {@code all} when blank.
   *
   * @throws InvalidInputProblem naming {@code verdict} for anything but {@link #VERDICTS}
   */
  public static String verdict(String verdict) {
    String v = verdict == null || verdict.isBlank() ? "all" : verdict.strip();
    if (!VERDICTS.contains(v)) {
      throw InvalidInputProblem.of(
          "verdict", "is '" + verdict + "'; must be one of " + String.join(", ", VERDICTS));
    }
    return v;
  }

  /** Whether an image with {@code verdict} (null: unreviewed) belongs to the {@code selection}. */
  static boolean selected(String selection, String verdict) {
    return switch (selection) {
      case "approved", "rejected" -> selection.equals(verdict);
      case "unreviewed" -> verdict == null;
      default -> true;
    };
  }

  /**
   * Writes the ZIP of the batch's stored images (after the job {@code resumeAfter}) to {@code out}.
   */
  public void write(UUID batchId, Optional<UUID> resumeAfter, OutputStream out) throws IOException {
    write(batchId, resumeAfter, "all", out);
  }

  /**
   * Writes the ZIP of the batch's stored images with the review {@code selection} (one of {@link
   * #VERDICTS}; after the job {@code resumeAfter}) to {@code out}. Entry names are those of the
   * whole batch's ZIP, so a selection and a resumed download name an image alike.
   */
  public void write(UUID batchId, Optional<UUID> resumeAfter, String selection, OutputStream out)
      throws IOException {
    ZipNames names = new ZipNames();
    boolean writing = resumeAfter.isEmpty();
    boolean inResumeJob = false;
    byte[] buf = new byte[BUFFER];
    long entries = 0;
    long bytes = 0;
    ZipOutputStream zip = new ZipOutputStream(out);
    zip.setMethod(ZipOutputStream.STORED);
    Position at = Position.START;
    while (true) {
      List<BatchImage> page = images.batchPage(batchId, at, PAGE);
      for (BatchImage img : page) {
        // Names of skipped images are taken too, so a resumed download names the rest alike.
        String name = names.next(img.sku(), img.index());
        if (!writing) {
          boolean isResumeJob = img.jobId().equals(resumeAfter.get());
          if (inResumeJob && !isResumeJob) {
            writing = true;
          }
          inResumeJob = isResumeJob;
        }
        if (writing && img.expiredAt() == null && selected(selection, img.verdict())) {
          bytes += entry(zip, name, img, buf);
          entries++;
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      BatchImage last = page.get(page.size() - 1);
      at = new Position(last.jobCreatedAt(), last.jobId(), last.index());
    }
    zip.finish();
    zip.flush();
    zipBytes.increment(bytes);
    LOG.infof(
        "ZIP of batch %s (%s): %d images, %d bytes of PNG", batchId, selection, entries, bytes);
  }

  private long entry(ZipOutputStream zip, String name, BatchImage img, byte[] buf)
      throws IOException {
    long size;
    long crc;
    if (img.bytes() != null && img.crc32() != null) {
      size = img.bytes();
      crc = img.crc32();
    } else {
      // Recorded before checksums: one pass for the CRC and size a STORED entry needs first.
      CRC32 c = new CRC32();
      size = 0;
      try (InputStream in = store.open(img.storageKey())) {
        int n;
        while ((n = in.read(buf)) > 0) {
          c.update(buf, 0, n);
          size += n;
        }
      }
      crc = c.getValue();
    }
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(size);
    e.setCompressedSize(size);
    e.setCrc(crc);
    zip.putNextEntry(e);
    try (InputStream in = store.open(img.storageKey())) {
      in.transferTo(zip);
    }
    zip.closeEntry();
    return size;
  }
}
