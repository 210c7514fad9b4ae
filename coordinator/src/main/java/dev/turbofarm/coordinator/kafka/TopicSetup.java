package dev.turbofarm.coordinator.kafka;

import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates TurboFarm's topics with Kafka's admin client and sets the workers' share-group
 * configuration. Idempotent: every coordinator replica runs it at start.
 */
public final class TopicSetup {
  private static final Logger LOG = Logger.getLogger(TopicSetup.class);

  private TopicSetup() {}

  public static void ensure(Admin admin, FarmConfig.Kafka cfg) throws Exception {
    long deadline = System.nanoTime() + cfg.startupTimeout().toNanos();
    int brokers = waitForBroker(admin, deadline);
    short rf = (short) Math.min(3, brokers);
    List<NewTopic> wanted =
        List.of(
            new NewTopic(Topics.JOBS, cfg.jobsPartitions(), rf),
            new NewTopic(Topics.JOBS_INTERACTIVE, cfg.interactivePartitions(), rf),
            new NewTopic(Topics.RESULTS, cfg.resultsPartitions(), rf),
            new NewTopic(Topics.RESULTS_INTERACTIVE, cfg.interactivePartitions(), rf),
            new NewTopic(Topics.HEARTBEATS, 1, rf)
                // Heartbeats matter for minutes, not days, ms.
                .configs(Map.of("retention.ms", "3600000")),
            new NewTopic(Topics.JOBS_DLQ, 1, rf)
                .configs(Map.of("errors.deadletterqueue.group.enable", "true")),
            // The coordinator's own dead letters: few, kept for the default retention (7 days).
            new NewTopic(Topics.RESULTS_DLQ, 1, rf),
            new NewTopic(Topics.HEARTBEATS_DLQ, 1, rf),
            // Admin commands to workers: only each worker's newest command matters.
            new NewTopic(Topics.CONTROL, 1, rf).configs(Map.of("cleanup.policy", "compact")));
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (NewTopic t : wanted) {
      if (!existing.contains(t.name())) {
        missing.add(t);
      }
    }
    if (!missing.isEmpty()) {
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        LOG.infof("created topics %s", missing.stream().map(NewTopic::name).toList());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    waitForLeaders(admin, wanted.stream().map(NewTopic::name).toList(), deadline);
    configureShareGroup(admin, cfg);
  }

  /**
   * Creates one model's jobs topic ({@link Topics#jobsFor}, {@link Topics#interactiveJobsFor}) if
   * it is missing, with {@code partitions}, and waits until every partition has a leader.
   */
  public static void ensureJobsTopic(
      Admin admin, FarmConfig.Kafka cfg, String topic, int partitions) throws Exception {
    ensureJobsTopic(admin, topic, partitions, cfg.startupTimeout());
  }

  /**
   * Creates {@code topic} with {@code partitions} if it is missing and returns once every partition
   * accepts a write, or throws after {@code timeout}.
   */
  public static void ensureJobsTopic(Admin admin, String topic, int partitions, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
      int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
      try {
        admin
            .createTopics(List.of(new NewTopic(topic, partitions, (short) Math.min(3, brokers))))
            .all()
            .get(30, TimeUnit.SECONDS);
        LOG.infof("created jobs topic %s", topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    waitForLeaders(admin, List.of(topic), deadline);
  }

  /**
   * The workers' share groups (bulk and interactive jobs, the same settings): start from the
   * earliest job, lock long enough for a batch, one dead-letter topic for both.
   */
  public static void configureShareGroup(Admin admin, FarmConfig.Kafka cfg) throws Exception {
    Collection<AlterConfigOp> ops =
        List.of(
            set("share.auto.offset.reset", "earliest"),
            set("share.record.lock.duration.ms", Long.toString(cfg.shareLockDuration().toMillis())),
            set("share.delivery.count.limit", Integer.toString(cfg.shareDeliveryLimit())),
            set("errors.deadletterqueue.topic.name", Topics.JOBS_DLQ),
            // The record itself beside the broker's headers: the dead-letter list shows its
            // first bytes, and the coordinator re-checks it to name what was wrong.
            set("errors.deadletterqueue.copy.record.enable", "true"));
    Map<ConfigResource, Collection<AlterConfigOp>> groups = new java.util.LinkedHashMap<>();
    for (String g : List.of(Topics.WORKER_SHARE_GROUP, Topics.WORKER_INTERACTIVE_SHARE_GROUP)) {
      groups.put(new ConfigResource(ConfigResource.Type.GROUP, g), ops);
    }
    admin.incrementalAlterConfigs(groups).all().get(30, TimeUnit.SECONDS);
  }

  private static AlterConfigOp set(String key, String value) {
    return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
  }

  private static int waitForBroker(Admin admin, long deadline) throws InterruptedException {
    while (true) {
      try {
        return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Kafka broker not reachable at start-up; check kafka.bootstrap.servers and that the"
                  + " broker runs",
              e);
        }
        LOG.warnf("waiting for the Kafka broker: %s", e.getMessage());
        Thread.sleep(Duration.ofSeconds(1).toMillis());
      }
    }
  }

  /**
   * Right after creation a topic can refuse writes: first it has no leader, then the metadata names
   * a leader that does not yet act as one, and a write then fails with NOT_LEADER_OR_FOLLOWER,
   * after which the idempotent producer retries OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery
   * timeout (the first dispatch on a fresh farm stalled 30 s that way, and the records of the claim
   * that did go out were rendered twice). So this returns only once every partition's leader
   * answers a ListOffsets request, which only an acting leader serves.
   */
  private static void waitForLeaders(Admin admin, List<String> topics, long deadline)
      throws InterruptedException {
    while (true) {
      try {
        Map<String, TopicDescription> d =
            admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
        boolean ready =
            d.values().stream()
                .allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null));
        if (ready) {
          Map<TopicPartition, OffsetSpec> all = new HashMap<>();
          d.values()
              .forEach(
                  t ->
                      t.partitions()
                          .forEach(
                              p ->
                                  all.put(
                                      new TopicPartition(t.name(), p.partition()),
                                      OffsetSpec.latest())));
          admin.listOffsets(all).all().get(10, TimeUnit.SECONDS);
          return;
        }
      } catch (Exception e) {
        LOG.debugf("topics not ready yet: %s", e.getMessage());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + topics + " have no leader after start-up wait");
      }
      Thread.sleep(200);
    }
  }
}
