package dev.turbofarm.coordinator.job.service;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.coordinator.job.persistence.ResultTarget;
import java.util.Objects;

/**
 * A result checked against its job, after common's message rules checked it alone: the job exists,
 * the image index is one of its images, the attempt is one the coordinator dispatched, and a
 * rendered image carries the seed and settings its job was sent with and names the place derived
 * from the job id and index. A result that fails here is dead-lettered: no worker sends one (a
 * forged or corrupted record). A result of an older attempt is not wrong, only late: {@link
 * #isStale} tells it apart, and the recorder ignores it.
 */
final class ResultChecks {
  private ResultChecks() {}

  /**
   * What is wrong with {@code m} for job {@code t}, or null when nothing is.
   *
   * @param t the job, null when no job has the result's id
   */
  static String problem(ResultMessage m, ResultTarget t) {
    if (t == null) {
      return "no job " + m.jobId() + " exists";
    }
    if (m.index() >= t.imageCount()) {
      return "image index "
          + m.index()
          + " is not an image of job "
          + t.id()
          + ", which has "
          + t.imageCount()
          + (t.imageCount() == 1 ? " image" : " images");
    }
    if (m.attempt() > t.attempt()
        && !(t.state() == JobState.QUEUED && m.attempt() == t.attempt() + 1)) {
      return "attempt "
          + m.attempt()
          + " of job "
          + t.id()
          + " was never dispatched (its latest is "
          + t.attempt()
          + ", state "
          + t.state()
          + ")";
    }
    if (m.status() != ResultMessage.Status.SUCCEEDED) {
      return null;
    }
    long seed = t.seeds().get(m.index());
    if (m.seed() != seed) {
      return "seed " + m.seed() + " is not image " + m.index() + "'s seed " + seed;
    }
    boolean own =
        m.fallbackProfile() == null
            && m.width() == t.width()
            && m.height() == t.height()
            && m.steps() == t.steps();
    boolean fallback =
        t.fallbackProfile() != null
            && Objects.equals(m.fallbackProfile(), t.fallbackProfile())
            && m.width() == t.fallbackWidth()
            && m.height() == t.fallbackHeight()
            && m.steps() == t.fallbackSteps();
    if (!own && !fallback) {
      return "settings "
          + m.width()
          + "x"
          + m.height()
          + ", "
          + m.steps()
          + " steps"
          + (m.fallbackProfile() == null ? "" : " (fallback " + m.fallbackProfile() + ")")
          + " are not those job "
          + t.id()
          + " was dispatched with ("
          + t.width()
          + "x"
          + t.height()
          + ", "
          + t.steps()
          + " steps"
          + (t.fallbackProfile() == null ? ", no fallback" : ", or fallback " + t.fallbackProfile())
          + ")";
    }
    if (Double.compare(m.guidance(), t.guidance()) != 0) {
      return "guidance " + m.guidance() + " is not the job's " + t.guidance();
    }
    // Schema 2 results name a storage key, checked to be the derived one when read; a schema 1
    // result names a path on the worker, which must end with that key.
    String key = ResultPaths.key(m.jobId(), m.index());
    if (m.path() != null && !m.path().replace('\\', '/').endsWith("/" + key)) {
      return "path does not end with "
          + key
          + ": an image is where its job id and index put it, never elsewhere";
    }
    return null;
  }

  /**
   * A rendered image of an attempt older than the job's latest (its lease ran out, another attempt
   * was sent): late, not wrong, and not recorded; the live attempt delivers the image.
   */
  static boolean isStale(ResultMessage m, ResultTarget t) {
    return m.attempt() < t.attempt();
  }
}
