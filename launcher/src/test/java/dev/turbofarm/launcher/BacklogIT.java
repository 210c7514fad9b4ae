package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Priority and fair share end to end on a farm of two bundled-model workers (processes, as {@code
 * farm up} runs them), and {@code farm up} on a data directory that holds a backlog: the steps of
 * {@code farm bench priority}, with the bounds as assertions. The backlog is 100,000 jobs
 * ({@code -Dbacklog.it.jobs} to change it): queuing it takes seconds, and it is cancelled, never
 * rendered. Each test cleans up what it queued, so they run in any order.
 */
class BacklogIT {
  private static final int BACKLOG = Integer.getInteger("backlog.it.jobs", 100_000);

  /** Interactive probes idle and behind the backlog. */
  private static final int PROBES = 3;

  private static FarmOptions options;
  private static Farm farm;
  private static FarmClient client;

  @BeforeAll
  static void startFarm() throws Exception {
    options =
        FarmOptions.defaults(home())
            .withDataDir(dataDir("backlog-it"))
            .withFreePorts()
            .withWorkers(2);
    farm = Farm.start(options);
    client = new FarmClient(farm.coordinatorUrl(), farm.adminKey());
  }

  @AfterAll
  static void stopFarm() {
    if (farm != null) {
      farm.close();
    }
  }

  @Test
  void anInteractiveDraftOvertakesAQueuedBacklogWithEveryWorkerBusy() throws Exception {
    PriorityBench.Latency l;
    try {
      l = PriorityBench.latency(farm, client, BACKLOG, PROBES, System.out);
    } finally {
      PriorityBench.cancelAll(farm);
    }
    System.out.printf(
        "BacklogIT: interactive draft idle %s ms (median %d), behind %,d bulk jobs %s ms; bound"
            + " 2 x %d + one batch render %d = %d ms%n",
        l.idleMs(),
        l.idleMedian(),
        BACKLOG,
        l.busyMs(),
        l.idleMedian(),
        l.batchRenderMs(),
        l.bound());
    assertThat(l.batchSize()).as("the backlog rendered in full batches").isGreaterThan(1);
    assertThat(PriorityBench.median(l.busyMs()))
        .as(
            "interactive latency behind the backlog %s against 2 x idle %d + batch %d",
            l.busyMs(), l.idleMedian(), l.batchRenderMs())
        .isLessThanOrEqualTo(l.bound());
  }

  @Test
  void twoEqualTeamsQueueingOneAfterTheOtherSplitTheFirstCompletionsWithin45To55()
      throws Exception {
    PriorityBench.Split s = PriorityBench.fairShare(farm, client, 2000, 400, System.out);
    System.out.printf(
        "BacklogIT: first 400 completions %s %d, %s %d%n", s.teamA(), s.a(), s.teamB(), s.b());
    assertThat(s.shareA()).as("%s's share of the first 400", s.teamA()).isBetween(0.45, 0.55);
  }

  @Test
  void farmUpOnADataDirectoryWithABacklogIsReadyInUnderAMinute() throws Exception {
    FarmOptions own = options.withDataDir(dataDir("backlog-it-up"));
    try (Farm queueOnly = Farm.start(own.withWorkers(0))) {
      ScaleBench.submit(
          HttpClient.newHttpClient(),
          queueOnly.coordinatorUrl(),
          queueOnly.adminKey(),
          BACKLOG,
          "backlog-it",
          "backlog");
    }
    long t0 = System.nanoTime();
    try (Farm up = Farm.start(own)) {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      long queued = PriorityBench.queued(up);
      System.out.printf(
          "BacklogIT: farm up with %,d jobs queued was ready in %,d ms%n", queued, ms);
      PriorityBench.cancelAll(up);
      assertThat(queued).as("the backlog is still queued").isGreaterThan(BACKLOG / 2);
      assertThat(ms).as("farm up until ready, ms").isLessThan(60_000);
    }
  }

  private static Path home() {
    return Path.of(System.getProperty("farm.home", "..")).toAbsolutePath().normalize();
  }

  /** Under target/ so the logs survive a failed run; mvn clean removes them. */
  private static Path dataDir(String name) throws Exception {
    Path d =
        home()
            .resolve(
                "launcher/target/"
                    + name
                    + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(d);
    return d;
  }
}
