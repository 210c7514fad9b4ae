package dev.turbofarm.coordinator.kafka;

import dev.turbofarm.common.messaging.KafkaSettings;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.config.FarmConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the coordinator's Kafka clients from {@code kafka.bootstrap.servers} and the security
 * settings among the {@code kafka.*} keys ({@code KAFKA_SECURITY_PROTOCOL}, {@code
 * KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_*}), which Quarkus' Kafka
 * health check uses as well: SASL/SCRAM (docker-compose.yml) is configuration only.
 */
@ApplicationScoped
public class KafkaClients {
  private final String bootstrap;
  private final Map<String, String> security;
  private final Duration sessionTimeout;
  private volatile KafkaProducer<String, byte[]> producer;

  // The keys Quarkus' Kafka extension (health check) and our clients share.
  KafkaClients(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      FarmConfig config) {
    this.bootstrap = bootstrap;
    this.sessionTimeout = config.kafka().consumerSessionTimeout();
    this.security = KafkaSettings.security(kafkaConfig);
  }

  public String bootstrap() {
    return bootstrap;
  }

  public Admin admin() {
    Properties p = new Properties();
    p.putAll(security);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(p);
  }

  /**
   * The shared producer: the farm's producer defaults ({@link KafkaSettings}: idempotent, acks=all,
   * sent at once), plus the dispatcher's own time limits.
   */
  public synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Map<String, Object> p = new HashMap<>(KafkaSettings.producerDefaults());
      p.putAll(security);
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      // Give up on one dispatch after 30 s so the dispatcher can roll back and retry, ms.
      p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
      // One broker round trip may take 10 s before it counts as failed and is retried, ms.
      p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      producer = new KafkaProducer<>(p);
    }
    return producer;
  }

  /**
   * A consumer in a consumer group, offsets committed by the caller after its work. The classic
   * group protocol: on these machines its produce-to-consume hop measured p50 1.2-3.1 ms and p99
   * about 9 ms against 2-4 ms and 17-24 ms for the KIP-848 protocol (docs/benchmarks.md), and the
   * results hop is on every job's path. One coordinator replica per partition either way; a replica
   * that dies without leaving the group holds its partitions for the session timeout ({@code
   * turbofarm.kafka.consumer-session-timeout}), then the others share them.
   */
  public KafkaConsumer<String, byte[]> consumer(String group, String clientId) {
    Map<String, Object> p = new HashMap<>(security);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
    // A third of the session, as Kafka advises, so one late heartbeat does not end a membership.
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) sessionTimeout.toMillis() / 3);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new KafkaConsumer<>(p);
  }

  /** The value of a record's schema header ({@link Topics#SCHEMA_HEADER}), null when absent. */
  public static byte[] schemaHeader(ConsumerRecord<String, byte[]> record) {
    Header h = record.headers().lastHeader(Topics.SCHEMA_HEADER);
    return h == null ? null : h.value();
  }

  void close(@Observes ShutdownEvent ev) {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
