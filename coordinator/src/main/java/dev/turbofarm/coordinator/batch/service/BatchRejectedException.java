package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A catalogue of which nothing was accepted: some rows are bad and the mode is {@code reject-all},
 * or no row is good. Answered 400 with every listed row: as fields ({@code line N: field}) and, in
 * the members {@code accepted}, {@code rejectedCount} and {@code rejected}, as the rows themselves.
 */
public final class BatchRejectedException extends InvalidInputProblem {
  private final transient List<RowError> rejected;
  private final int rejectedCount;
  private final int rows;

  public BatchRejectedException(
      String message, List<RowError> rejected, int rejectedCount, int rows) {
    super(message, fields(rejected));
    this.rejected = List.copyOf(rejected);
    this.rejectedCount = rejectedCount;
    this.rows = rows;
  }

  private static List<FieldError> fields(List<RowError> rejected) {
    return rejected.stream()
        .map(r -> new FieldError("line " + r.line() + ": " + r.field(), r.problem()))
        .toList();
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

  @Override
  public String type() {
    return "invalid-rows";
  }

  @Override
  public String title() {
    return "Invalid catalogue rows";
  }

  @Override
  public Map<String, Object> extensions() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accepted", 0);
    m.put("rejectedCount", rejectedCount);
    m.put("rejected", rejected);
    return m;
  }
}
