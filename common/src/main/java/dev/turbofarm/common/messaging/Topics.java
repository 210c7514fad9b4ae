package dev.turbofarm.common.messaging;

/** Every Kafka topic and group name TurboFarm uses, in one place. */
public final class Topics {
  /** Jobs to render, one record per job; consumed by workers through a share group. */
  public static final String JOBS = "turbofarm.jobs";

  /**
   * Interactive jobs (priority above 0), one record per job: a lane of their own, which workers
   * read through their own share group and render before bulk work, so an interactive job never
   * waits behind the bulk jobs already in {@link #JOBS} (docs/adr/0014-priority-end-to-end.md).
   */
  public static final String JOBS_INTERACTIVE = "turbofarm.jobs.interactive";

  /** One record per rendered (or failed) image; consumed by the coordinators' consumer group. */
  public static final String RESULTS = "turbofarm.results";

  /**
   * The results of interactive jobs: recorded by a consumer of their own, so they never wait behind
   * a burst of bulk results in {@link #RESULTS} (docs/adr/0014-priority-end-to-end.md).
   */
  public static final String RESULTS_INTERACTIVE = "turbofarm.results.interactive";

  /** Worker heartbeats; compacted by worker id would lose history we do not need, so plain. */
  public static final String HEARTBEATS = "turbofarm.heartbeats";

  /** Dead letters of the jobs share group; Kafka requires the {@code dlq.} prefix. */
  public static final String JOBS_DLQ = "dlq.turbofarm.jobs";

  /** Share group of all workers on the jobs topic. */
  public static final String WORKER_SHARE_GROUP = "turbofarm-workers";

  /** Share group of all workers on the interactive jobs topic. */
  public static final String WORKER_INTERACTIVE_SHARE_GROUP = "turbofarm-workers-interactive";

  /** Consumer group of the coordinator replicas on the results topic. */
  public static final String COORDINATOR_RESULTS_GROUP = "turbofarm-coordinator-results";

  /** Consumer group of the coordinator replicas on the interactive results topic. */
  public static final String COORDINATOR_INTERACTIVE_RESULTS_GROUP =
      "turbofarm-coordinator-results-interactive";

  /** Header carrying a message's schema version, so readers can refuse what they do not know. */
  public static final String SCHEMA_HEADER = "tf-schema";

  private Topics() {}

  /** Where the results of a job go: its own lane for an interactive job. */
  public static String resultsFor(JobMessage job) {
    return job.interactive() ? RESULTS_INTERACTIVE : RESULTS;
  }
}
