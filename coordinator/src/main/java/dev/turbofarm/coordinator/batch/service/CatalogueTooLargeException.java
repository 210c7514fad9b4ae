package dev.turbofarm.coordinator.batch.service;

/** A catalogue with more rows than one batch may hold: answered 413. */
public final class CatalogueTooLargeException extends RuntimeException {
  public CatalogueTooLargeException(int maxRows) {
    super(
        "the catalogue has more than "
            + maxRows
            + " rows (turbofarm.batches.max-rows); split it into several batches");
  }
}
