package dev.turbofarm.worker.batch;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One batch at a time on the worker's model, interactive batches first: a worker reads bulk and
 * interactive jobs on two consumers (two threads); whichever holds the gate renders, and a bulk
 * batch does not start while an interactive one waits. So an interactive job waits at most for the
 * batch already rendering, never for the bulk batches queued behind it
 * (docs/adr/0014-priority-end-to-end.md); and where the model pauses between denoising steps, only
 * for the step in progress ({@link #yieldToInteractive()}, ADR 0020).
 */
public final class RenderGate {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition free = lock.newCondition();
  private boolean busy;
  private int interactiveWaiting;

  /** A bulk batch paused between its steps takes the model back before any new bulk batch. */
  private boolean bulkPaused;

  /** Waits for the model: an interactive caller goes before every waiting bulk caller. */
  public void acquire(boolean interactive) {
    lock.lock();
    try {
      if (interactive) {
        interactiveWaiting++;
      }
      try {
        while (busy || (!interactive && (interactiveWaiting > 0 || bulkPaused))) {
          free.awaitUninterruptibly();
        }
      } finally {
        if (interactive) {
          interactiveWaiting--;
        }
      }
      busy = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Called by the holder of the gate (a bulk batch, between two of its denoising steps): when an
   * interactive batch waits, hands it the model and waits until no interactive batch is waiting or
   * rendering, then holds the gate again, before any other bulk caller.
   *
   * @return whether an interactive batch rendered meanwhile
   */
  public boolean yieldToInteractive() {
    lock.lock();
    try {
      if (interactiveWaiting == 0) {
        return false;
      }
      busy = false;
      free.signalAll();
      bulkPaused = true;
      try {
        while (busy || interactiveWaiting > 0) {
          free.awaitUninterruptibly();
        }
      } finally {
        bulkPaused = false;
      }
      busy = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  public void release() {
    lock.lock();
    try {
      busy = false;
      free.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
