package dev.turbofarm.worker.batch;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One batch at a time on the worker's model, interactive batches first: a worker reads bulk and
 * interactive jobs on two consumers (two threads); whichever holds the gate renders, and a bulk
 * batch does not start while an interactive one waits. So an interactive job waits at most for the
 * batch already rendering, never for the bulk batches queued behind it
 * (docs/adr/0014-priority-end-to-end.md).
 */
public final class RenderGate {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition free = lock.newCondition();
  private boolean busy;
  private int interactiveWaiting;

  /** Waits for the model: an interactive caller goes before every waiting bulk caller. */
  public void acquire(boolean interactive) {
    lock.lock();
    try {
      if (interactive) {
        interactiveWaiting++;
      }
      try {
        while (busy || (!interactive && interactiveWaiting > 0)) {
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
