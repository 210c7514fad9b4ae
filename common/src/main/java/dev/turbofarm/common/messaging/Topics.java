package dev.turbofarm.common.messaging;

/** Every Kafka topic and group name TurboFarm uses, in one place. */
public final class Topics {
  /**
   * Jobs to render, one record per job, before jobs were routed by model; now the prefix of each
   * model's own jobs topic ({@link #jobsFor}). See docs/adr/0012-model-routing.md.
   */
  public static final String JOBS = "turbofarm.jobs";

  /** Longest model slug in a topic name, characters: Kafka allows 249 for the whole name. */
  static final int MAX_SLUG_CHARS = 200;

  /** One record per rendered (or failed) image; consumed by the coordinators' consumer group. */
  public static final String RESULTS = "turbofarm.results";

  /** Worker heartbeats; compacted by worker id would lose history we do not need, so plain. */
  public static final String HEARTBEATS = "turbofarm.heartbeats";

  /** Dead letters of the jobs share group; Kafka requires the {@code dlq.} prefix. */
  public static final String JOBS_DLQ = "dlq.turbofarm.jobs";

  /** Share group of all workers on the jobs topic. */
  public static final String WORKER_SHARE_GROUP = "turbofarm-workers";

  /** Consumer group of the coordinator replicas on the results topic. */
  public static final String COORDINATOR_RESULTS_GROUP = "turbofarm-coordinator-results";

  /** Header carrying a message's schema version, so readers can refuse what they do not know. */
  public static final String SCHEMA_HEADER = "tf-schema";

  private Topics() {}

  /**
   * The jobs topic of one model, {@code turbofarm.jobs.<slug>}: the dispatcher sends a job to its
   * model's topic and a worker subscribes to the topic of the model it serves, so a worker only
   * ever receives jobs for its model. The slug is the model id in lower case with every run of
   * characters outside {@code [a-z0-9.]} made one {@code -} ({@code turbofarm-tiny@1.4} -> {@code
   * turbofarm-tiny-1.4}). Two ids can share a slug; the worker checks the job's model itself.
   */
  public static String jobsFor(String modelId) {
    String slug =
        modelId
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9.]+", "-")
            .replaceAll("^-+|-+$", "");
    if (slug.isEmpty()) {
      slug = "model";
    }
    if (slug.length() > MAX_SLUG_CHARS) {
      slug = slug.substring(0, MAX_SLUG_CHARS);
    }
    return JOBS + "." + slug;
  }
}
