package dev.turbofarm.coordinator.batch.service;

import java.util.List;

/**
 * A catalogue of which nothing was accepted: some rows are bad and the mode is {@code reject-all},
 * or no row is good. Answered 400 with every listed row.
 */
public final class BatchRejectedException extends RuntimeException {
  private final transient List<RowError> rejected;
  private final int rejectedCount;
  private final int rows;

  public BatchRejectedException(
      String message, List<RowError> rejected, int rejectedCount, int rows) {
    super(message);
    this.rejected = List.copyOf(rejected);
    this.rejectedCount = rejectedCount;
    this.rows = rows;
  }

  /** The listed rows, at most {@code turbofarm.batches.max-reported-errors}. */
  public List<RowError> rejected() {
    return rejected;
  }

  /** Every bad row's count, listed or not. */
  public int rejectedCount() {
    return rejectedCount;
  }

  public int rows() {
    return rows;
  }
}
