package dev.turbofarm.worker.sim;

import dev.turbofarm.common.messaging.Heartbeat.WorkerState;
import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.common.messaging.Json;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.worker.sim.SimulatedWorkers.VirtualWorker;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIMULATION ONLY: one share consumer serving a slice of virtual workers. Each poll's jobs are
 * shared out among the slice in compatible batches of at most the max batch size (a virtual worker
 * that gets more than one batch renders them one after another); every virtual worker heartbeats
 * the jobs it takes at once, "renders" each batch for its drawn time on a timer, publishes one
 * result per image, and the lane acknowledges each job (ACCEPT once its results are out, RELEASE
 * when they could not be published, REJECT a record that cannot be decoded) before its next poll,
 * as explicit acknowledgement requires. So the lane's virtual workers move in step, one poll at a
 * time: with a render time that varies, a poll lasts as long as its slowest batch. That is the
 * price of sharing a consumer, paid only by the simulation. One more lane reads the interactive
 * jobs topic for all virtual workers, preferring those that hold no job (a real worker renders an
 * interactive batch as soon as its batch in progress ends; a simulated one may overlap the two).
 */
final class SimulatedLane implements Runnable {
  /** The checksum simulated results carry: no image exists to hash. */
  static final String SIMULATED_SHA256 = "0".repeat(64);

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedLane.class);

  /** How long publishing one poll's results may take before its jobs are released, s. */
  private static final long PUBLISH_TIMEOUT_S = 30;

  private final String name;
  private final String topic;
  private final String group;
  private final SimulationConfig config;
  private final List<VirtualWorker> workers;
  private final Producer<String, byte[]> producer;
  private final ScheduledExecutorService timer;
  private final SplittableRandom random;
  private volatile KafkaShareConsumer<String, byte[]> consumer;
  private volatile boolean draining;

  /** Where the next poll starts handing out batches, so every virtual worker gets its turn. */
  private int next;

  /**
   * @param topic the jobs topic it reads ({@link Topics#JOBS} or {@link Topics#JOBS_INTERACTIVE})
   * @param group the share group it reads it in
   */
  SimulatedLane(
      String name,
      String topic,
      String group,
      SimulationConfig config,
      List<VirtualWorker> workers,
      Producer<String, byte[]> producer,
      ScheduledExecutorService timer,
      long seed) {
    this.name = name;
    this.topic = topic;
    this.group = group;
    this.config = config;
    this.workers = List.copyOf(workers);
    this.producer = producer;
    this.timer = timer;
    this.random = new SplittableRandom(seed);
  }

  String name() {
    return name;
  }

  void drain() {
    draining = true;
    KafkaShareConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  @Override
  public void run() {
    while (!draining) {
      try (KafkaShareConsumer<String, byte[]> c = new KafkaShareConsumer<>(consumerConfig())) {
        consumer = c;
        c.subscribe(List.of(topic));
        while (!draining) {
          ConsumerRecords<String, byte[]> records;
          try {
            records = c.poll(config.pollTimeout());
          } catch (WakeupException e) {
            continue;
          }
          if (records.isEmpty()) {
            continue;
          }
          process(c, records);
          try {
            c.commitSync();
          } catch (RuntimeException e) {
            // The broker redelivers what it did not hear about; results are idempotent.
            LOG.warn("{}: acknowledgements not committed: {}", name, e.getMessage());
          }
        }
      } catch (RuntimeException e) {
        // Closing the consumer hands what it held back to the broker at once; a new one goes on.
        LOG.error(
            "{}: share consumer failed ({}); starting a new one for its {} virtual workers",
            name,
            e.toString(),
            workers.size());
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One job as taken: its record, for the acknowledgement, and its result futures. */
  private record Taken(
      JobMessage job, ConsumerRecord<String, byte[]> record, List<Future<RecordMetadata>> sent) {}

  /** The batches one virtual worker renders from this poll, in order, with their drawn times. */
  private record Work(VirtualWorker worker, List<List<Taken>> batches, List<Long> renderMs) {}

  private void process(KafkaShareConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> rs) {
    Map<UUID, Taken> taken = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : rs) {
      JobMessage job;
      try {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(Topics.SCHEMA_HEADER);
        job = MessageRules.job(h == null ? null : h.value(), r.value());
      } catch (Json.MalformedMessageException e) {
        LOG.error(
            "{}: rejecting malformed job record at {}-{} offset {} (dead letter topic {}): {}",
            name,
            r.topic(),
            r.partition(),
            r.offset(),
            Topics.JOBS_DLQ,
            e.getMessage());
        c.acknowledge(r, AcknowledgeType.REJECT);
        continue;
      }
      if (taken.containsKey(job.jobId())) {
        // The same job twice in one poll (a re-dispatch): render once, accept the copy.
        c.acknowledge(r, AcknowledgeType.ACCEPT);
        continue;
      }
      taken.put(job.jobId(), new Taken(job, r, new ArrayList<>()));
    }
    if (taken.isEmpty()) {
      return;
    }
    // Interactive jobs first and in batches of their own, as a real worker plans them.
    LinkedList<Taken> pending = new LinkedList<>();
    taken.values().stream().filter(t -> t.job().interactive()).forEach(pending::add);
    taken.values().stream().filter(t -> !t.job().interactive()).forEach(pending::add);
    List<Work> plan = plan(pending);
    try {
      CountDownLatch done = new CountDownLatch(plan.size());
      long longest = 0;
      for (Work w : plan) {
        for (List<Taken> batch : w.batches()) {
          batch.forEach(t -> w.worker().status().take(t.job().jobId()));
        }
        w.worker().status().state(WorkerState.BUSY);
        w.worker().status().currentBatch(images(w.batches().get(0)));
        // As a real worker does: the jobs it holds are reported at once, which starts their leases.
        w.worker().heartbeats().sendNow();
        longest = Math.max(longest, w.renderMs().stream().mapToLong(Long::longValue).sum());
        renderBatch(w, 0, done);
      }
      try {
        if (!done.await(
            longest + TimeUnit.SECONDS.toMillis(PUBLISH_TIMEOUT_S), TimeUnit.MILLISECONDS)) {
          LOG.warn("{}: simulated batches did not finish in time; releasing unfinished jobs", name);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (Taken t : taken.values()) {
        c.acknowledge(t.record(), published(t) ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
      }
    } finally {
      // Whatever happened, the virtual workers hold none of this poll's jobs any more.
      for (Work w : plan) {
        for (List<Taken> batch : w.batches()) {
          batch.forEach(t -> w.worker().status().release(t.job().jobId()));
        }
        w.worker().status().currentBatch(0);
        w.worker().status().state(draining ? WorkerState.DRAINING : WorkerState.READY);
      }
    }
  }

  /**
   * Shares the jobs out: each virtual worker in turn (starting where the last poll stopped, those
   * holding no job first) gets one batch of compatible jobs (same size, steps and guidance) of at
   * most the max batch size; if jobs are left over when every virtual worker has one, a second
   * round gives out second batches.
   */
  private List<Work> plan(LinkedList<Taken> pending) {
    // Idle ones first, in turn: a virtual worker may be rendering a batch of another lane. Each
    // one's state is read once (it changes under our feet), then the two groups are joined.
    List<VirtualWorker> idle = new ArrayList<>(workers.size());
    List<VirtualWorker> busy = new ArrayList<>();
    for (int k = 0; k < workers.size(); k++) {
      VirtualWorker w = workers.get((next + k) % workers.size());
      (w.status().inFlight().isEmpty() ? idle : busy).add(w);
    }
    List<VirtualWorker> turn = idle;
    turn.addAll(busy);
    Map<VirtualWorker, List<List<Taken>>> byWorker = new LinkedHashMap<>();
    while (!pending.isEmpty()) {
      for (int k = 0; k < turn.size() && !pending.isEmpty(); k++) {
        byWorker.computeIfAbsent(turn.get(k), x -> new ArrayList<>()).add(batch(pending));
      }
    }
    next = (next + byWorker.size()) % workers.size();
    List<Work> plan = new ArrayList<>(byWorker.size());
    byWorker.forEach(
        (w, batches) -> {
          List<Long> times = new ArrayList<>(batches.size());
          for (List<Taken> b : batches) {
            JobMessage j = b.get(0).job();
            times.add(
                config.renderTime().batchMs(j.width(), j.height(), j.steps(), images(b), random));
          }
          plan.add(new Work(w, batches, times));
        });
    return plan;
  }

  /** Takes the first pending job and the compatible ones after it, up to the max batch size. */
  private List<Taken> batch(LinkedList<Taken> pending) {
    Taken first = pending.removeFirst();
    List<Taken> batch = new ArrayList<>(List.of(first));
    int images = first.job().count();
    JobMessage.BatchKey key = first.job().batchKey();
    for (Iterator<Taken> it = pending.iterator();
        it.hasNext() && images < config.maxBatchSize(); ) {
      Taken t = it.next();
      if (t.job().batchKey().equals(key)
          && t.job().interactive() == first.job().interactive()
          && images + t.job().count() <= config.maxBatchSize()) {
        batch.add(t);
        images += t.job().count();
        it.remove();
      }
    }
    return batch;
  }

  private static int images(List<Taken> batch) {
    return batch.stream().mapToInt(t -> t.job().count()).sum();
  }

  /** Batch {@code i} of a virtual worker "renders" on the timer, then the next one. */
  private void renderBatch(Work w, int i, CountDownLatch done) {
    long startedAt = System.currentTimeMillis();
    long ms = w.renderMs().get(i);
    timer.schedule(
        () -> {
          try {
            List<Taken> batch = w.batches().get(i);
            publish(w.worker(), batch, images(batch), ms, startedAt);
            w.worker().status().rendered(images(batch));
          } catch (RuntimeException e) {
            // publish() records what it could not send; the job is released at acknowledgement.
            LOG.warn(
                "{}: results of {} not all published: {}", name, w.worker().id(), e.toString());
          }
          if (i + 1 < w.batches().size()) {
            w.worker().status().currentBatch(images(w.batches().get(i + 1)));
            renderBatch(w, i + 1, done);
          } else {
            done.countDown();
          }
        },
        ms,
        TimeUnit.MILLISECONDS);
  }

  private void publish(
      VirtualWorker w, List<Taken> batch, int batchSize, long renderMs, long startedAt) {
    for (Taken t : batch) {
      JobMessage j = t.job();
      for (int i = 0; i < j.count(); i++) {
        ResultMessage result =
            new ResultMessage(
                ResultMessage.SCHEMA,
                j.jobId(),
                j.attempt(),
                i,
                ResultMessage.Status.SUCCEEDED,
                null,
                null,
                j.seeds().get(i),
                j.width(),
                j.height(),
                j.steps(),
                j.guidance(),
                SimulatedWorkers.MODEL_ID,
                w.id(),
                batchSize,
                Math.max(0, startedAt - j.queuedAtMs()),
                renderMs,
                null,
                null,
                System.currentTimeMillis(),
                false,
                null,
                // The key the store would hold it under, with a stand-in checksum: nothing is
                // stored (a download of a simulated image answers 404).
                dev.turbofarm.store.StorageKeys.image(j.jobId(), i),
                SIMULATED_SHA256,
                1L,
                0L,
                List.of());
        ProducerRecord<String, byte[]> record =
            new ProducerRecord<>(Topics.resultsFor(j), j.jobId().toString(), Json.write(result));
        record.headers().add(Topics.SCHEMA_HEADER, MessageRules.schemaHeader(ResultMessage.SCHEMA));
        synchronized (t.sent()) {
          t.sent().add(producer.send(record));
        }
      }
    }
  }

  /** Whether every result of the job reached the broker. */
  private boolean published(Taken t) {
    List<Future<RecordMetadata>> futures;
    synchronized (t.sent()) {
      futures = List.copyOf(t.sent());
    }
    if (futures.size() < t.job().count()) {
      return false;
    }
    try {
      for (Future<RecordMetadata> f : futures) {
        f.get(PUBLISH_TIMEOUT_S, TimeUnit.SECONDS);
      }
      return true;
    } catch (Exception e) {
      LOG.error(
          "{}: results of job {} not published ({}); releasing it for another attempt",
          name,
          t.job().jobId(),
          e.getMessage());
      return false;
    }
  }

  private Map<String, Object> consumerConfig() {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG,
        group,
        ConsumerConfig.CLIENT_ID_CONFIG,
        config.idPrefix() + "-" + name,
        "share.acknowledgement.mode",
        "explicit",
        // About one batch per virtual worker of the slice per poll (a soft cap).
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
        workers.size() * config.maxBatchSize(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class);
  }
}
