package dev.turbofarm.coordinator.error;

/**
 * Something the coordinator needs is briefly unavailable: 503 with {@code Retry-After}. This is the
 * retriable kind of failure: the API tells callers to retry, and the Kafka consumer loops retry the
 * same records (kafka.ConsumerLoop) instead of skipping them. Every other failure is fatal for the
 * request or record at hand.
 */
public class UnavailableProblem extends ApiProblem {
  /** What callers are told to wait before retrying, s. */
  public static final int RETRY_AFTER_S = 5;

  public UnavailableProblem(String detail) {
    super(detail);
  }

  public UnavailableProblem(String detail, Throwable cause) {
    super(detail, cause);
  }

  @Override
  public int status() {
    return 503;
  }

  @Override
  public String type() {
    return "unavailable";
  }

  @Override
  public String title() {
    return "Service unavailable";
  }

  /**
   * Whether {@code e} or one of its causes says a retry can help: an unavailable problem, or a
   * database failure {@link DatabaseFailures} classifies as transient (a transaction's commit can
   * fail with one wrapped by the transaction manager).
   */
  public static boolean isRetriable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnavailableProblem) {
        return true;
      }
    }
    return DatabaseFailures.isTransient(e);
  }
}
