package dev.turbofarm.coordinator;

import dev.turbofarm.common.messaging.Heartbeat;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Records as a worker writes them (with the schema header), for tests that play a worker. */
final class TestRecords {
  private TestRecords() {}

  /** A producer on the tests' broker. */
  static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, FarmServicesResource.bootstrap(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  static ProducerRecord<String, byte[]> result(ResultMessage m) {
    return raw(
        Topics.RESULTS,
        m.jobId().toString(),
        Json.write(m),
        MessageRules.schemaHeader(ResultMessage.SCHEMA));
  }

  static ProducerRecord<String, byte[]> heartbeat(Heartbeat h) {
    return raw(
        Topics.HEARTBEATS,
        h.workerId(),
        Json.write(h),
        MessageRules.schemaHeader(Heartbeat.SCHEMA));
  }

  /** Any bytes on any topic, with this schema header (none when null). */
  static ProducerRecord<String, byte[]> raw(
      String topic, String key, byte[] value, byte[] schemaHeader) {
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
    if (schemaHeader != null) {
      r.headers().add(Topics.SCHEMA_HEADER, schemaHeader);
    }
    return r;
  }

  /** Where a worker with any result root writes image {@code index} of {@code job}. */
  static String workerPath(UUID job, int index) {
    String id = job.toString();
    return "/some/worker/root/" + id.substring(0, 2) + "/" + id + "/" + index + ".png";
  }
}
