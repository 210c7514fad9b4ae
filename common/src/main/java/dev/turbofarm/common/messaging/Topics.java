package dev.turbofarm.common.messaging;

import java.util.List;

/** Every Kafka topic and group name TurboFarm uses, in one place. */
public final class Topics {
  /**
   * Jobs to render, one record per job, before jobs were routed by model; now the prefix of each
   * model's own jobs topic ({@link #jobsFor}). See docs/adr/0012-model-routing.md.
   */
  public static final String JOBS = "turbofarm.jobs";

  /** Longest model slug in a topic name, characters: Kafka allows 249 for the whole name. */
  static final int MAX_SLUG_CHARS = 200;

  /**
   * Interactive jobs (priority above 0) of jobs without a model, and the prefix of each model's
   * interactive topic ({@link #interactiveJobsFor}): a lane of their own, which workers read
   * through their own share group and render before bulk work, so an interactive job never waits
   * behind the bulk jobs already queued (docs/adr/0014-priority-end-to-end.md).
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

  /** Result records the coordinator could not accept, with the reason in a header. */
  public static final String RESULTS_DLQ = "dlq.turbofarm.results";

  /** Heartbeat records the coordinator could not accept, with the reason in a header. */
  public static final String HEARTBEATS_DLQ = "dlq.turbofarm.heartbeats";

  /** Every dead-letter topic, each {@code dlq.} + the topic it keeps records of. */
  public static final List<String> DEAD_LETTER_TOPICS =
      List.of(JOBS_DLQ, RESULTS_DLQ, HEARTBEATS_DLQ);

  /** The prefix Kafka requires of a dead-letter topic and TurboFarm uses for all of them. */
  public static final String DLQ_PREFIX = "dlq.";

  /**
   * Headers of a dead-lettered record, UTF-8 text: the names Kafka's share groups write (KIP-1191),
   * used for the coordinator's own dead letters too, so one reader understands all of them.
   */
  public static final String DLQ_TOPIC_HEADER = "__dlq.errors.topic";

  public static final String DLQ_PARTITION_HEADER = "__dlq.errors.partition";
  public static final String DLQ_OFFSET_HEADER = "__dlq.errors.offset";
  public static final String DLQ_GROUP_HEADER = "__dlq.errors.group";

  /** Why the record was dead-lettered. */
  public static final String DLQ_MESSAGE_HEADER = "__dlq.errors.message";

  /**
   * Admin commands to workers (cordon, drain, quarantine, run), keyed by worker id, compacted: a
   * worker reads the whole topic without a group at start and then follows it, so the latest
   * command for it survives its restart (docs/adr/0017-worker-control.md).
   */
  public static final String CONTROL = "turbofarm.control";

  /** Consumer group of the coordinator replicas on the heartbeats topic. */
  public static final String COORDINATOR_HEARTBEATS_GROUP = "turbofarm-coordinator-heartbeats";

  /** Consumer group of the coordinator replicas on the dead-letter topics. */
  public static final String COORDINATOR_DEAD_LETTERS_GROUP = "turbofarm-coordinator-dead-letters";

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

  /**
   * The jobs topic of one model, {@code turbofarm.jobs.<slug>}: the dispatcher sends a job to its
   * model's topic and a worker subscribes to the topic of the model it serves, so a worker only
   * ever receives jobs for its model. The slug is the model id in lower case with every run of
   * characters outside {@code [a-z0-9.]} made one {@code -} ({@code turbofarm-tiny@1.4} -> {@code
   * turbofarm-tiny-1.4}). Two ids can share a slug; the worker checks the job's model itself.
   */
  public static String jobsFor(String modelId) {
    return JOBS + "." + slug(modelId);
  }

  /**
   * The interactive jobs topic of one model, {@code turbofarm.jobs.interactive.<slug>}: read by the
   * model's workers through {@link #WORKER_INTERACTIVE_SHARE_GROUP}, before bulk work.
   */
  public static String interactiveJobsFor(String modelId) {
    return JOBS_INTERACTIVE + "." + slug(modelId);
  }

  /** Whether {@code topic} is an interactive jobs topic (the model-less one or a model's). */
  public static boolean isInteractive(String topic) {
    return topic.equals(JOBS_INTERACTIVE) || topic.startsWith(JOBS_INTERACTIVE + ".");
  }

  /**
   * A model id as a topic name part. A slug that would read as the interactive lane ({@code
   * interactive}, {@code interactive.x}) gets a {@code model-} prefix, so no model's bulk topic is
   * ever an interactive one.
   */
  static String slug(String modelId) {
    String slug =
        modelId
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9.]+", "-")
            .replaceAll("^-+|-+$", "");
    if (slug.isEmpty()) {
      slug = "model";
    }
    if (slug.equals("interactive") || slug.startsWith("interactive.")) {
      slug = "model-" + slug;
    }
    if (slug.length() > MAX_SLUG_CHARS) {
      slug = slug.substring(0, MAX_SLUG_CHARS);
    }
    return slug;
  }

  /** Where the results of a job go: its own lane for an interactive job. */
  public static String resultsFor(JobMessage job) {
    return job.interactive() ? RESULTS_INTERACTIVE : RESULTS;
  }
}
