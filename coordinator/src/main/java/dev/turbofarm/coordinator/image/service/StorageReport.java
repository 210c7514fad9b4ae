package dev.turbofarm.coordinator.image.service;

import dev.turbofarm.coordinator.image.persistence.StoredImageRepository;
import dev.turbofarm.coordinator.image.persistence.StoredImageRepository.TeamUsage;
import dev.turbofarm.store.ResultStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** What the result store holds, per team, for admins. */
@ApplicationScoped
public class StorageReport {
  private final StoredImageRepository images;
  private final ResultStore store;
  private final Retention retention;

  StorageReport(StoredImageRepository images, ResultStore store, Retention retention) {
    this.images = images;
    this.store = store;
    this.retention = retention;
  }

  /**
   * The report.
   *
   * @param kind the store's kind; {@code where} its directory or bucket
   */
  public record Report(String kind, String where, List<Team> teams) {}

  /**
   * One team's figures.
   *
   * @param oldest its oldest stored image; null when it has none
   * @param expiredLast7Days images retention deleted in the last 7 days, and their bytes
   * @param retentionDays null: kept forever
   */
  public record Team(
      String team,
      long images,
      long bytes,
      java.time.OffsetDateTime oldest,
      long expiredLast7Days,
      long expiredLast7DaysBytes,
      Integer retentionDays) {}

  public Report now() {
    List<Team> teams =
        images.usage().stream()
            .map(
                (TeamUsage u) ->
                    new Team(
                        u.team(),
                        u.images(),
                        u.bytes(),
                        u.oldest(),
                        u.expiredThisWeek(),
                        u.expiredThisWeekBytes(),
                        retention.of(u.team()).days()))
            .toList();
    return new Report(store.kind(), store.describe(), teams);
  }
}
