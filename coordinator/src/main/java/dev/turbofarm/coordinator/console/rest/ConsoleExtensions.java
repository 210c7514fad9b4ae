package dev.turbofarm.coordinator.console.rest;

import dev.turbofarm.coordinator.batch.service.Progress;
import dev.turbofarm.coordinator.job.service.Job;
import io.quarkus.qute.TemplateExtension;
import java.util.UUID;

/** Small computations the console's templates need (Qute has no arithmetic). */
@TemplateExtension
final class ConsoleExtensions {
  /** Thumbnail size the grids ask for, px. */
  static final int GRID_THUMBNAIL = 256;

  private ConsoleExtensions() {}

  /** Rendered images of all, in percent (0..100). */
  static long percent(Progress p) {
    long total = p.images().total();
    return total == 0 ? 100 : Math.min(100, p.images().done() * 100 / total);
  }

  /** Images/s with one decimal. */
  static String rate(Progress p) {
    return String.format(java.util.Locale.ROOT, "%.1f", p.imagesPerSecond());
  }

  /** The ETA as minutes and seconds, or a dash. */
  static String eta(Progress p) {
    Long s = p.etaSeconds();
    return s == null ? "–" : (s >= 60 ? s / 60 + " min " : "") + s % 60 + " s";
  }

  /** The image's URL (the session cookie authenticates it on GET). */
  static String url(Job.Image i, UUID jobId) {
    return "/api/v1/jobs/" + jobId + "/images/" + i.index();
  }

  /** A stored thumbnail near the grid's size, else the image itself (never resized on request). */
  static String thumb(Job.Image i, UUID jobId) {
    if (i.thumbnails() == null || i.thumbnails().isEmpty()) {
      return url(i, jobId);
    }
    int best =
        i.thumbnails().contains(GRID_THUMBNAIL)
            ? GRID_THUMBNAIL
            : i.thumbnails().stream().mapToInt(Integer::intValue).max().getAsInt();
    return url(i, jobId) + "/thumbnail?size=" + best;
  }

  /** The lineage image's thumbnail (256 px, which every worker writes), by its job and index. */
  static String thumb(dev.turbofarm.coordinator.seed.service.LineageImage l) {
    return "/api/v1/jobs/"
        + l.jobId()
        + "/images/"
        + l.index()
        + "/thumbnail?size="
        + GRID_THUMBNAIL;
  }

  /** The image's quality score with three decimals, or a dash. */
  static String qText(Job.Image i) {
    return i.quality() == null ? "–" : String.format(java.util.Locale.ROOT, "%.3f", i.quality());
  }

  /** Bytes as MiB with one decimal. */
  static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
