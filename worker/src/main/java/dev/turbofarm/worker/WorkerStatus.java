package dev.turbofarm.worker;

import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.common.messaging.WorkerCommand;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What this worker is doing right now; read by heartbeats and the health endpoint. */
public final class WorkerStatus {
  private volatile WorkerState state = WorkerState.LOADING;
  private volatile int currentBatch;
  private volatile String modelId;
  private volatile int maxBatchSize;
  private volatile Long memoryBudgetPixels;
  private volatile WorkerCommand.Command control = WorkerCommand.Command.RUN;
  private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicLong imagesRendered = new AtomicLong();
  private final AtomicInteger working = new AtomicInteger();

  public WorkerState state() {
    return state;
  }

  public void state(WorkerState s) {
    state = s;
  }

  /** Ready means warm: the model is loaded and has rendered its warm-up image. */
  public boolean ready() {
    return state == WorkerState.READY || state == WorkerState.BUSY;
  }

  public int currentBatch() {
    return currentBatch;
  }

  public void currentBatch(int images) {
    currentBatch = images;
  }

  public String modelId() {
    return modelId;
  }

  public void modelId(String id) {
    modelId = id;
  }

  /** The max batch in force (the configured one, or the model's recommendation), images. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  public void maxBatchSize(int images) {
    maxBatchSize = images;
  }

  /** The memory budget of one sampler batch, pixels; null for none. */
  public Long memoryBudgetPixels() {
    return memoryBudgetPixels;
  }

  public void memoryBudgetPixels(Long pixels) {
    memoryBudgetPixels = pixels;
  }

  /** The admin command in force ({@link WorkerCommand.Command#RUN} unless told otherwise). */
  public WorkerCommand.Command control() {
    return control;
  }

  public void control(WorkerCommand.Command c) {
    control = c == null ? WorkerCommand.Command.RUN : c;
  }

  /** Whether an admin command (cordon, drain, quarantine) keeps this worker from taking jobs. */
  public boolean paused() {
    return control.pauses();
  }

  public List<UUID> inFlight() {
    return List.copyOf(inFlight);
  }

  public void take(UUID job) {
    inFlight.add(job);
  }

  public void release(UUID job) {
    inFlight.remove(job);
  }

  /** A job loop starts on a poll's jobs (a worker runs one per jobs topic). */
  public void startWork() {
    working.incrementAndGet();
  }

  /** A job loop is done with its poll; returns how many loops still work. */
  public int endWork() {
    return working.decrementAndGet();
  }

  public long imagesRendered() {
    return imagesRendered.get();
  }

  public void rendered(int images) {
    imagesRendered.addAndGet(images);
  }

  /** What a sampler batch took: told to the worker's metrics. */
  @FunctionalInterface
  public interface BatchListener {
    void batch(int images, int maxBatch, long renderNanos);
  }

  private volatile BatchListener batchListener = (images, maxBatch, nanos) -> {};

  public void onBatch(BatchListener l) {
    batchListener = l;
  }

  /** A sampler batch of {@code images} rendered in {@code renderNanos}. */
  public void batchRendered(int images, long renderNanos) {
    rendered(images);
    batchListener.batch(images, maxBatchSize(), renderNanos);
  }

  private volatile double imagesPerSecond;

  /** Images per second over the last heartbeat interval. */
  public double imagesPerSecond() {
    return imagesPerSecond;
  }

  public void imagesPerSecond(double rate) {
    imagesPerSecond = rate;
  }
}
