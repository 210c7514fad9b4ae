package dev.turbofarm.common.messaging;

import java.util.List;
import java.util.UUID;

/**
 * A worker's periodic state report on {@link Topics#HEARTBEATS}.
 *
 * @param schema message schema version, {@link #SCHEMA}
 * @param workerId stable id of the worker process
 * @param host host name the worker runs on
 * @param state lifecycle state
 * @param modelId model id and version loaded, null before loading
 * @param maxBatchSize largest sampler batch this worker forms, images
 * @param currentBatch images in the batch being rendered now, 0 when idle
 * @param jobsInFlight jobs this worker holds right now
 * @param imagesRendered images rendered since start
 * @param imagesPerSecond images per second over the last heartbeat interval
 * @param heapUsedBytes JVM heap in use, bytes
 * @param rssBytes resident set size of the process, bytes (0 when unknown)
 * @param sentAtMs when this heartbeat was sent, epoch milliseconds
 * @param memoryBudgetPixels optional (issue 14): the most pixels (width x height x images) one
 *     sampler batch of this worker may hold, its memory budget; a job whose single image is larger
 *     can never render here. Null from workers that predate it, or without a budget
 * @param control optional (issue 14): the admin command this worker applies ({@link
 *     WorkerCommand.Command#CORDON} and the rest, by name), null while it takes jobs normally
 */
public record Heartbeat(
    int schema,
    String workerId,
    String host,
    WorkerState state,
    String modelId,
    int maxBatchSize,
    int currentBatch,
    List<UUID> jobsInFlight,
    long imagesRendered,
    double imagesPerSecond,
    long heapUsedBytes,
    long rssBytes,
    long sentAtMs,
    Long memoryBudgetPixels,
    String control) {

  /**
   * Still 1: the fields added since are optional, and readers ignore fields they do not know, so
   * old and new workers and coordinators mix.
   */
  public static final int SCHEMA = 1;

  public Heartbeat {
    jobsInFlight = jobsInFlight == null ? List.of() : List.copyOf(jobsInFlight);
  }

  /** A heartbeat without the optional fields (a worker without budget or admin command). */
  public Heartbeat(
      int schema,
      String workerId,
      String host,
      WorkerState state,
      String modelId,
      int maxBatchSize,
      int currentBatch,
      List<UUID> jobsInFlight,
      long imagesRendered,
      double imagesPerSecond,
      long heapUsedBytes,
      long rssBytes,
      long sentAtMs) {
    this(
        schema,
        workerId,
        host,
        state,
        modelId,
        maxBatchSize,
        currentBatch,
        jobsInFlight,
        imagesRendered,
        imagesPerSecond,
        heapUsedBytes,
        rssBytes,
        sentAtMs,
        null,
        null);
  }

  /** A worker's lifecycle: it takes jobs only in READY and BUSY. */
  public enum WorkerState {
    /** Loading the model. */
    LOADING,
    /** Rendering the warm-up image; not taking jobs yet. */
    WARMING,
    /** Warm and waiting for jobs. */
    READY,
    /** Rendering a batch. */
    BUSY,
    /** Finishing its batch after SIGTERM; takes no new jobs. */
    DRAINING,
    /** Gone. */
    STOPPED
  }
}
