package dev.turbofarm.coordinator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every coordinator setting under {@code turbofarm.*}, typed, each with its default and unit. */
@ConfigMapping(prefix = "turbofarm")
public interface FarmConfig {

  /** Job intake. */
  Jobs jobs();

  /** The outbox dispatcher that moves QUEUED jobs to Kafka. */
  Dispatcher dispatcher();

  /** Kafka topics and clients. */
  Kafka kafka();

  /** The coordinator's own liveness check on dispatched jobs. */
  Leases leases();

  /** Bulk catalogues. */
  Batches batches();

  /** Teams: fair-share weights and queue quotas. */
  Teams teams();

  /** Batch completion webhooks: where they may go and how long a delivery may take. */
  Webhooks webhooks();

  /** Bad-worker quarantine (docs/operations.md, "Quarantine"). */
  Quarantine quarantine();

  /** Quarantine settings. */
  interface Quarantine {
    /**
     * Whether a worker whose renders keep failing while others succeed is quarantined. Only jobs
     * that failed on no other worker count against it, so poison jobs (which fail everywhere) do
     * not; before that rule the chaos run's poison scenario quarantined every worker.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * Retriable render failures of one worker within {@code window} that quarantine it, failures;
     * only while another worker of the same model rendered successfully within the window.
     */
    @WithDefault("5")
    int failures();

    /** How far back failures and other workers' successes count, a duration. */
    @WithDefault("10m")
    Duration window();
  }

  /** The farm's own gauges on /q/metrics (docs/operations.md). */
  Metrics metrics();

  /** Metrics settings. */
  interface Metrics {
    /**
     * How often the gauges read from PostgreSQL and Kafka (queue depth, workers by state,
     * share-group lag, desired workers) are refreshed, a period; a scrape reads the cached values.
     */
    @WithDefault("5s")
    Duration refresh();

    /** Longest wait for the Kafka Admin API when reading share-group lag, a duration. */
    @WithDefault("3s")
    Duration kafkaTimeout();
  }

  /** The autoscaling signal: how many workers the backlog needs (docs/operations.md). */
  Capacity capacity();

  /** Capacity settings. */
  interface Capacity {
    /** The time the backlog (QUEUED and DISPATCHED jobs) should be drained in, a duration. */
    @WithDefault("10m")
    Duration targetDrain();

    /** Fewest workers asked for, workers; 0 lets an idle farm scale to zero. */
    @WithDefault("0")
    int minWorkers();

    /** Most workers asked for, workers. */
    @WithDefault("50")
    int maxWorkers();

    /**
     * One worker's throughput while there is no recent render to measure it from, pixel-steps per
     * second (width x height x steps of the images it renders per second); the default is a
     * 512x512, 10-step draft image every 2 s.
     */
    @WithDefault("1310720")
    double defaultPixelStepsPerSecond();

    /** How far back recorded renders count towards the measured throughput, a duration. */
    @WithDefault("15m")
    Duration throughputWindow();
  }

  /** Webhook settings. */
  interface Webhooks {
    /**
     * CIDR blocks (or single addresses) a webhook may reach although they are loopback, private,
     * link-local, CGNAT, multicast or metadata addresses, e.g. {@code 127.0.0.1/32}; none by
     * default, also for ./farm up.
     */
    Optional<List<String>> allowedNetworks();

    /** Whether a webhook may be plain http; https only outside the dev and test profiles. */
    @WithDefault("false")
    boolean allowHttp();

    /**
     * The longest one delivery may take, from connecting through sending the body to the answer's
     * status line; the receiver's body is not read.
     */
    @WithDefault("10s")
    Duration timeout();

    /** The longest connecting may take, within {@code timeout}. */
    @WithDefault("5s")
    Duration connectTimeout();
  }

  /** The analysts' history: per-day rollups and query limits. */
  Analytics analytics();

  /** Analytics settings. */
  interface Analytics {
    /** How often closed days without a current rollup are rolled up, a period. */
    @WithDefault("5m")
    Duration rollupInterval();

    /** Most days rolled up in one pass, days: a first pass over a long history is spread out. */
    @WithDefault("31")
    int rollupDaysPerPass();

    /** Largest history page, images. */
    @WithDefault("500")
    int maxPageSize();

    /** Longest window a summary or ranking may span, days. */
    @WithDefault("400")
    int maxDays();

    /**
     * Values (qualities and render times of closed days' rollups) kept in memory for summaries
     * asked again, values; 16 bytes each.
     */
    @WithDefault("2000000")
    long summaryCacheValues();
  }

  /** Bulk catalogue settings. */
  interface Batches {
    /** Most rows one catalogue may hold, rows; more answers 413. */
    @WithDefault("200000")
    int maxRows();

    /**
     * Most rejected rows listed in one answer, rows; the answer always gives the total, and a file
     * that is wrong on every line would otherwise answer with megabytes of errors.
     */
    @WithDefault("1000")
    int maxReportedErrors();

    /** How often finished batches and due webhooks are looked for, a period. */
    @WithDefault("1s")
    Duration completionCheck();

    /** Attempts to deliver one webhook before giving up, attempts. */
    @WithDefault("6")
    int webhookAttempts();

    /** Wait before the first webhook retry; doubles after each failed attempt. */
    @WithDefault("1s")
    Duration webhookBackoff();

    // How long one webhook call may take: turbofarm.webhooks.timeout.
  }

  /** Per-team settings; a team not named gets the defaults. */
  interface Teams {
    /**
     * Fair-share weight per team, a relative share of the farm: {@code
     * turbofarm.teams.weights.<team>=3} gets three times the in-flight slots of a weight-1 team.
     */
    Map<String, Integer> weights();

    /** Weight of a team without an entry in {@code weights}, a relative share. */
    @WithDefault("1")
    int defaultWeight();

    /** Most QUEUED jobs per team, jobs: {@code turbofarm.teams.max-queued.<team>=N}. */
    Map<String, Long> maxQueued();

    /**
     * Most QUEUED jobs of a team without an entry in {@code max-queued}, jobs; more answers 429.
     */
    @WithDefault("500000")
    long defaultMaxQueued();

    /**
     * Teams the console's every-team Jobs page leaves out unless asked for by name: the local
     * farm's own warm-up jobs ({@code farm up} sends a few dozen on each start), which would
     * otherwise fill its first pages. Their jobs stay in every API answer and analytics.
     */
    @WithDefault("farm-warmup")
    Set<String> consoleHidden();
  }

  /** Job intake settings. */
  interface Jobs {
    /** Profile a job gets when it names none. */
    @WithDefault("draft")
    String defaultProfile();

    /**
     * Attempts (dispatches) a job gets before it ends FAILED in the dead-letter list: retriable
     * render failures and lost workers each use one.
     */
    @WithDefault("3")
    int maxAttempts();

    /**
     * Model of a job or batch that names none, e.g. {@code turbofarm-tiny@1.4}; absent: the model
     * most of the live workers serve (docs/adr/0012-model-routing.md).
     */
    Optional<String> defaultModel();

    /**
     * Models a job may name even while no worker of theirs runs (a pool scaled to zero), besides
     * those of live workers; a comma-separated list of model ids, none by default.
     */
    Optional<List<String>> models();

    /**
     * How long a worker's model stays known after its last heartbeat, a duration: a job naming a
     * model no worker served within it answers 422.
     */
    @WithDefault("1h")
    Duration knownModelWindow();
  }

  /** Lease settings. */
  interface Leases {
    /**
     * How long a dispatched job may wait in Kafka before a worker reports holding it; covers the
     * queue in front of it (the in-flight cap keeps that short).
     */
    @WithDefault("10m")
    Duration dispatchLease();

    /**
     * How long a job stays leased after a heartbeat of the worker holding it names it; about seven
     * missed 2-second heartbeats mean the worker is gone.
     */
    @WithDefault("15s")
    Duration workerLease();

    /** How often expired leases are looked for, a period (the scheduler's {@code every}). */
    @WithDefault("1s")
    Duration reaperInterval();

    /**
     * No lease expires in the first moments after a coordinator start: heartbeats sent while it was
     * down are still being read, and would otherwise look like silence. The reaper's first pass
     * waits this long (the scheduler's {@code delayed}).
     */
    @WithDefault("20s")
    Duration startupGrace();

    /**
     * A results or heartbeats poll that takes longer than this means the coordinator itself has
     * stalled (PostgreSQL on I/O, a lock wait): no lease expires until it has caught up, since the
     * silence may be its own, not the worker's.
     */
    @WithDefault("5s")
    Duration recorderStall();
  }

  /** Dispatcher settings. */
  interface Dispatcher {
    /** Whether this replica dispatches at all (off for API-only replicas). */
    @WithDefault("true")
    boolean enabled();

    /** Most QUEUED rows claimed and sent in one transaction, rows. */
    @WithDefault("500")
    int claimSize();

    /**
     * Longest sleep between outbox scans when no NOTIFY arrives, a safety net for lost
     * notifications (a reconnect drops them).
     */
    @WithDefault("1s")
    Duration idlePoll();

    /** Pause after a failed scan (database or broker down) before trying again. */
    @WithDefault("2s")
    Duration retryBackoff();

    /**
     * The in-flight window per image of the ready workers' batches, a ratio: bulk jobs go out only
     * while fewer than this times the sum of the max batch of every READY or BUSY worker (heard
     * from within the worker lease) are DISPATCHED and unfinished. Keeps what waits in Kafka to
     * about one batch per worker, so that fair share and priorities are decided here, not by what
     * already sits in the topic (docs/adr/0014-priority-end-to-end.md). Interactive jobs (priority
     * above 0) are sent whatever the window.
     */
    @WithDefault("2")
    double inFlightPerBatchImage();

    /**
     * Whether interactive jobs go to their own topic ({@code turbofarm.jobs.interactive}), which
     * workers read first; false sends them to the bulk jobs topic like the rest (to measure the
     * difference: docs/adr/0014-priority-end-to-end.md).
     */
    @WithDefault("true")
    boolean interactiveLane();

    /** The window when no worker is ready, jobs: 0 keeps bulk jobs QUEUED until one is. */
    @WithDefault("0")
    int minInFlight();

    /** The window's upper bound whatever the workers can take, jobs. */
    @WithDefault("5000")
    int maxInFlight();

    /**
     * How long the window computed from the worker registry is reused before it is read again; the
     * registry changes with heartbeats (every 2 s), not with each claim.
     */
    @WithDefault("500ms")
    Duration windowRefresh();

    /**
     * Half-life of a team's recent usage in fair share: each bulk job dispatched adds one to its
     * team's usage, which halves every this long; a free slot goes to the team with the fewest jobs
     * in flight plus recent usage per unit of weight. A team that had the farm to itself yields to
     * a newcomer until their recent usage is even, at most about this long
     * (docs/adr/0019-fair-share-with-recent-usage.md). {@code 0s} counts in-flight jobs only.
     */
    @WithDefault("60s")
    Duration fairShareHalfLife();
  }

  /** Kafka settings; the bootstrap servers come from {@code kafka.bootstrap.servers}. */
  interface Kafka {
    /** Partitions of the jobs topic: share groups let any number of workers read them. */
    @WithDefault("12")
    int jobsPartitions();

    /**
     * Partitions of the interactive jobs topic, a few: its traffic is small and every idle worker
     * polls it.
     */
    @WithDefault("2")
    int interactivePartitions();

    /** Partitions of the results topic: caps the coordinator replicas consuming results. */
    @WithDefault("6")
    int resultsPartitions();

    /**
     * How long a worker holds a job before the broker redelivers it; must cover one batch's render
     * on the slowest worker.
     */
    @WithDefault("5m")
    Duration shareLockDuration();

    /** Deliveries of one job record before the broker dead-letters it, attempts. */
    @WithDefault("5")
    int shareDeliveryLimit();

    /** How long start-up waits for the broker before failing, so a cold farm can come up. */
    @WithDefault("60s")
    Duration startupTimeout();

    /**
     * How long a silent coordinator replica keeps its results and heartbeats partitions before
     * another replica takes them over (the consumers' {@code session.timeout.ms}): below the worker
     * lease (15 s), so a replica killed with SIGKILL hands over its share before the leases of the
     * jobs whose heartbeats it held run out. Kafka's default, 45 s, outlasts three leases. At least
     * the broker's {@code group.min.session.timeout.ms} (6 s by default).
     */
    @WithDefault("10s")
    Duration consumerSessionTimeout();
  }
}
