package dev.turbofarm.coordinator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbofarm.testservices.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A jobs topic that {@link TopicSetup#ensureJobsTopic} just created takes a write on every
 * partition at once, on the real broker. Before it waited for acting leaders, the first dispatch to
 * a new model's topic failed NOT_LEADER_OR_FOLLOWER on one partition in about one farm start in
 * five, and the idempotent producer then retried OUT_OF_ORDER_SEQUENCE_NUMBER for its whole
 * delivery timeout; eight fresh topics of twelve partitions give that race many chances to show.
 */
class TopicSetupTest {
  @Test
  void everyPartitionOfANewJobsTopicTakesAWriteRightAway() throws Exception {
    String bootstrap = TestServices.shared().bootstrapServers();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.LINGER_MS_CONFIG,
                    0,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    4000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    8000,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class))) {
      for (int t = 0; t < 8; t++) {
        String topic = "turbofarm.jobs.topic-setup-test-" + UUID.randomUUID();
        TopicSetup.ensureJobsTopic(admin, topic, 12, Duration.ofSeconds(60));
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
          acks.add(producer.send(new ProducerRecord<>(topic, p, "k" + p, "first write")));
        }
        for (int p = 0; p < 12; p++) {
          RecordMetadata m = acks.get(p).get(10, TimeUnit.SECONDS);
          assertThat(m.partition()).isEqualTo(p);
          assertThat(m.offset()).as("%s-%d takes the first write", topic, p).isZero();
        }
      }
    }
  }
}
