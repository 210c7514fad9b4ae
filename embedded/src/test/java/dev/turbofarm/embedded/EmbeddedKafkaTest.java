package dev.turbofarm.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  @TempDir Path dir;

  @Test
  void servesRecordsWithTheNewConsumerProtocolAndKeepsThemAcrossARestart() throws Exception {
    String bootstrap;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
      bootstrap = kafka.bootstrapServers();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
        FeatureMetadata features = admin.describeFeatures().featureMetadata().get();
        // Share groups are the job queue: the production defaults must have them on.
        assertThat(features.finalizedFeatures().get("share.version").maxVersionLevel())
            .isGreaterThanOrEqualTo((short) 1);
      }
      produce(bootstrap, "before-restart");
      assertThat(consumeAll(bootstrap)).containsExactly("before-restart");
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
      produce(kafka.bootstrapServers(), "after-restart");
      assertThat(consumeAll(kafka.bootstrapServers()))
          .containsExactly("before-restart", "after-restart");
    }
  }

  private static void produce(String bootstrap, String value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.send(new ProducerRecord<>("t", value)).get();
    }
  }

  private static List<String> consumeAll(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + System.nanoTime());
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of("t"));
      // Until something came and every assigned partition is read to its end. In this thread: a
      // consumer is single-threaded.
      await("records of topic t read to the end")
          .atMost(Duration.ofSeconds(30))
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                  values.add(r.value());
                }
                return !values.isEmpty()
                    && consumer.assignment().stream()
                        .allMatch(
                            tp ->
                                consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp));
              });
    }
    return values;
  }
}
