package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.coordinator.error.TooLargeProblem;

/** A catalogue with more rows than one batch may hold: answered 413. */
public final class CatalogueTooLargeException extends TooLargeProblem {
  public CatalogueTooLargeException(int maxRows) {
    super(
        "the catalogue has more than "
            + maxRows
            + " rows (turbofarm.batches.max-rows); split it into several batches");
  }

  @Override
  public String title() {
    return "Catalogue too large";
  }
}
