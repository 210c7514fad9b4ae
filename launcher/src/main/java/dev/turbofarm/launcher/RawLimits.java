package dev.turbofarm.launcher;

import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.KafkaSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The raw limits a farm's path is measured against, on the farm's own broker and database in the
 * same run: how fast job-sized records go from a producer to a consumer with nothing else done
 * (classic consumer group, and a share group acknowledging each record as the workers do), and how
 * fast a batched UPDATE moves rows of a copy of the job table from QUEUED to DISPATCHED (the
 * dispatcher's mark, with every index of the real table).
 */
final class RawLimits {
  /** Partitions of the scratch topics: as many as the jobs topic has by default. */
  private static final int PARTITIONS = 12;

  /** Rows per UPDATE and per transaction: the dispatcher's default claim size. */
  private static final int UPDATE_BATCH = 500;

  /** Longest a raw run may take before it counts as stuck, s. */
  private static final long TIMEOUT_S = 300;

  private RawLimits() {}

  /** One raw rate: what was measured, how many, in how long. */
  record Rate(String what, long count, long ms) {
    double perSecond() {
      return count * 1000.0 / Math.max(1, ms);
    }
  }

  /** A job message of a one-image draft, the size of what the dispatcher sends. */
  static byte[] jobPayload(long i) {
    return Json.write(
        new JobMessage(
            JobMessage.SCHEMA,
            UUID.randomUUID(),
            1,
            "raw",
            "a red mug on a white background, studio photo",
            "",
            "draft",
            512,
            512,
            10,
            6.0,
            List.of(i),
            System.currentTimeMillis(),
            System.currentTimeMillis(),
            null,
            null,
            0));
  }

  /** Produce {@code n} records (acks=all, idempotent), consume them with a classic consumer. */
  static Rate kafkaClassic(String bootstrap, int n) throws Exception {
    String topic = "bench.raw." + UUID.randomUUID();
    try (Admin admin = admin(bootstrap)) {
      createTopic(admin, topic);
      AtomicLong done = new AtomicLong();
      Map<String, Object> c = new HashMap<>();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + UUID.randomUUID());
      c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
      c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
      c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      Thread reader =
          new Thread(
              () -> {
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
                  consumer.subscribe(List.of(topic));
                  long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
                  while (done.get() < n && System.nanoTime() < deadline) {
                    ConsumerRecords<String, byte[]> rs = consumer.poll(Duration.ofMillis(200));
                    if (!rs.isEmpty()) {
                      done.addAndGet(rs.count());
                      consumer.commitSync();
                    }
                  }
                }
              },
              "bench-raw-classic");
      return produceAndWait("Kafka produce -> classic consumer", bootstrap, topic, n, done, reader);
    }
  }

  /**
   * Produce {@code n} records, consume them with {@code consumers} share consumers that acknowledge
   * each record (ACCEPT) and commit once per poll, as workers do.
   */
  static Rate kafkaShare(String bootstrap, int n, int consumers) throws Exception {
    String topic = "bench.raw." + UUID.randomUUID();
    String group = "bench-raw-share-" + UUID.randomUUID();
    try (Admin admin = admin(bootstrap)) {
      createTopic(admin, topic);
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.GROUP, group),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("share.auto.offset.reset", "earliest"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
      AtomicLong done = new AtomicLong();
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < consumers; i++) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put("share.acknowledgement.mode", "explicit");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        readers.add(
            new Thread(
                () -> {
                  try (KafkaShareConsumer<String, byte[]> consumer = new KafkaShareConsumer<>(c)) {
                    consumer.subscribe(List.of(topic));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
                    while (done.get() < n && System.nanoTime() < deadline) {
                      ConsumerRecords<String, byte[]> rs = consumer.poll(Duration.ofMillis(200));
                      for (ConsumerRecord<String, byte[]> r : rs) {
                        consumer.acknowledge(r, AcknowledgeType.ACCEPT);
                      }
                      if (!rs.isEmpty()) {
                        consumer.commitSync();
                        done.addAndGet(rs.count());
                      }
                    }
                  }
                },
                "bench-raw-share-" + i));
      }
      Thread all =
          new Thread(
              () -> {
                readers.forEach(Thread::start);
                for (Thread t : readers) {
                  try {
                    t.join();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              });
      return produceAndWait(
          "Kafka produce -> share group (" + consumers + " consumers, ACCEPT + commit per poll)",
          bootstrap,
          topic,
          n,
          done,
          all);
    }
  }

  private static Rate produceAndWait(
      String what, String bootstrap, String topic, int n, AtomicLong done, Thread reader)
      throws Exception {
    Map<String, Object> p = new HashMap<>(KafkaSettings.producerDefaults());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    List<byte[]> payloads = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      payloads.add(jobPayload(i));
    }
    reader.start();
    // The consumers join first: the measured time is the records' way through, not a group join.
    Thread.sleep(3000);
    long t0 = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>(topic, Integer.toString(i), payloads.get(i)));
      }
      producer.flush();
    }
    reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    if (done.get() < n) {
      throw new FarmException(what + ": only " + done.get() + " of " + n + " records arrived");
    }
    return new Rate(what, n, ms);
  }

  /**
   * A copy of the job table with its indexes, {@code rows} QUEUED rows, then UPDATEs of {@value
   * #UPDATE_BATCH} rows each (one transaction each) to DISPATCHED, as the dispatcher's mark does.
   */
  static Rate batchedUpdate(String jdbcUrl, String user, String password, int rows)
      throws SQLException {
    String table = "bench_raw_update";
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
        s.execute("CREATE TABLE " + table + " (LIKE job INCLUDING DEFAULTS INCLUDING INDEXES)");
        s.execute(
            "INSERT INTO "
                + table
                + " (id, team, state, prompt, profile, width, height, steps, guidance, seeds,"
                + " image_count, batch_id, created_at) SELECT gen_random_uuid(), 'raw', 'QUEUED',"
                + " 'a red mug', 'draft', 512, 512, 10, 6.0, ARRAY[g::bigint], 1,"
                + " '00000000-0000-0000-0000-000000000001', now() + g * interval '1 microsecond'"
                + " FROM generate_series(1, "
                + rows
                + ") g");
        s.execute("ANALYZE " + table);
      }
      List<UUID> ids = new ArrayList<>(rows);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY created_at")) {
        while (rs.next()) {
          ids.add(rs.getObject(1, UUID.class));
        }
      }
      long t0 = System.nanoTime();
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE "
                  + table
                  + " SET state = 'DISPATCHED', attempt = attempt + 1,"
                  + " dispatched_at = clock_timestamp(), lease_until = now() + interval '10 min'"
                  + " WHERE id = ANY (?)")) {
        for (int from = 0; from < ids.size(); from += UPDATE_BATCH) {
          List<UUID> page = ids.subList(from, Math.min(ids.size(), from + UPDATE_BATCH));
          ps.setArray(1, c.createArrayOf("uuid", page.toArray()));
          ps.executeUpdate();
        }
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE " + table);
      }
      return new Rate(
          "PostgreSQL UPDATE of " + UPDATE_BATCH + " job rows per statement and transaction",
          rows,
          ms);
    }
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  private static void createTopic(Admin admin, String topic) throws Exception {
    admin
        .createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
        .all()
        .get(30, TimeUnit.SECONDS);
    // A new topic may refuse writes until each partition has a leader (PLATFORM.md).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        var d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
        if (d.get(topic).partitions().stream().allMatch(p -> p.leader() != null)) {
          return;
        }
      } catch (Exception e) {
        // not there yet
      }
      Thread.sleep(200);
    }
    throw new FarmException("scratch topic " + topic + " has no leaders after 30 s");
  }
}
