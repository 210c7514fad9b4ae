package dev.turbofarm.coordinator.analytics.service;

import dev.turbofarm.coordinator.analytics.persistence.AnalyticsRepository;
import dev.turbofarm.coordinator.config.FarmConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Rolls closed UTC days up into {@code image_daily}, one day per transaction, oldest first: days
 * never rolled up and days whose image rows changed since (a late insert, a review, a retention
 * delete mark a day dirty). Every replica may run it: a day's rows are replaced in one transaction
 * and a rollup that raced a change leaves the day dirty, so summaries read that day from its rows
 * until the next pass.
 */
@ApplicationScoped
public class DailyRollup {
  private static final Logger LOG = Logger.getLogger(DailyRollup.class);

  private final AnalyticsRepository analytics;
  private final FarmConfig.Analytics config;

  DailyRollup(AnalyticsRepository analytics, FarmConfig config) {
    this.analytics = analytics;
    this.config = config.analytics();
  }

  @Scheduled(
      identity = "turbofarm-daily-rollup",
      // The defaults repeat FarmConfig's: the scheduler resolves the keys before the mapping.
      every = "${turbofarm.analytics.rollup-interval:5m}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void rollSafely() {
    try {
      rollDue(config.rollupDaysPerPass());
    } catch (RuntimeException e) {
      LOG.warnf(
          "daily rollup failed (%s); summaries read the image rows of the days not rolled up, the"
              + " next pass in %s tries again",
          e.getMessage(), config.rollupInterval());
    }
  }

  /**
   * Rolls up to {@code maxDays} due days now.
   *
   * @return the days rolled up
   */
  public List<LocalDate> rollDue(int maxDays) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<LocalDate> due =
        QuarkusTransaction.requiringNew().call(() -> analytics.daysToRoll(today, maxDays));
    for (LocalDate day : due) {
      long t0 = System.nanoTime();
      QuarkusTransaction.requiringNew().run(() -> analytics.claimDay(day));
      int groups = QuarkusTransaction.requiringNew().call(() -> analytics.rollDay(day));
      LOG.debugf(
          "rolled up %s: %d groups in %d ms", day, groups, (System.nanoTime() - t0) / 1_000_000);
    }
    if (!due.isEmpty()) {
      LOG.infof("rolled up %d day(s): %s .. %s", due.size(), due.get(0), due.get(due.size() - 1));
    }
    return due;
  }
}
