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

  /** One record per rendered (or failed) image; consumed by the coordinators' consumer group. */
  public static final String RESULTS = "turbofarm.results";

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

  /** Consumer group of the coordinator replicas on the heartbeats topic. */
  public static final String COORDINATOR_HEARTBEATS_GROUP = "turbofarm-coordinator-heartbeats";

  /** Consumer group of the coordinator replicas on the dead-letter topics. */
  public static final String COORDINATOR_DEAD_LETTERS_GROUP = "turbofarm-coordinator-dead-letters";

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
