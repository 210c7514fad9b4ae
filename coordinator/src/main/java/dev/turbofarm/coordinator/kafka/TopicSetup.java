package dev.turbofarm.coordinator.kafka;

import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
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
            new NewTopic(Topics.RESULTS, cfg.resultsPartitions(), rf),
            new NewTopic(Topics.HEARTBEATS, 1, rf)
                // Heartbeats matter for minutes, not days, ms.
                .configs(Map.of("retention.ms", "3600000")),
            new NewTopic(Topics.JOBS_DLQ, 1, rf)
                .configs(Map.of("errors.deadletterqueue.group.enable", "true")),
            // The coordinator's own dead letters: few, kept for the default retention (7 days).
            new NewTopic(Topics.RESULTS_DLQ, 1, rf),
            new NewTopic(Topics.HEARTBEATS_DLQ, 1, rf));
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
   * Creates one model's jobs topic ({@link Topics#jobsFor}) if it is missing, with the jobs topic's
   * partitions, and waits until every partition has a leader.
   */
  public static void ensureJobsTopic(Admin admin, FarmConfig.Kafka cfg, String topic)
      throws Exception {
    long deadline = System.nanoTime() + cfg.startupTimeout().toNanos();
    if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
      int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
      try {
        admin
            .createTopics(
                List.of(new NewTopic(topic, cfg.jobsPartitions(), (short) Math.min(3, brokers))))
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

  /** The workers' share group: start from the earliest job, lock long enough for a batch. */
  public static void configureShareGroup(Admin admin, FarmConfig.Kafka cfg) throws Exception {
    ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, Topics.WORKER_SHARE_GROUP);
    Collection<AlterConfigOp> ops =
        List.of(
            set("share.auto.offset.reset", "earliest"),
            set("share.record.lock.duration.ms", Long.toString(cfg.shareLockDuration().toMillis())),
            set("share.delivery.count.limit", Integer.toString(cfg.shareDeliveryLimit())),
            set("errors.deadletterqueue.topic.name", Topics.JOBS_DLQ),
            // The record itself beside the broker's headers: the dead-letter list shows its
            // first bytes, and the coordinator re-checks it to name what was wrong.
            set("errors.deadletterqueue.copy.record.enable", "true"));
    admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(30, TimeUnit.SECONDS);
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

  /** Right after creation a topic can refuse writes until every partition has a leader. */
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
