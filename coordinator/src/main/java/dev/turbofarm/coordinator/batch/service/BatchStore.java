package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.common.job.JobSpec;
import dev.turbofarm.coordinator.batch.persistence.BatchRepository;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.idempotency.service.Idempotency;
import dev.turbofarm.coordinator.job.persistence.JobCopy;
import dev.turbofarm.coordinator.job.persistence.JobRepository;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.team.service.Teams;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Stores a read catalogue in one transaction: the team's quota under its lock, every good row by
 * COPY while the next rows are still being resolved, then the batch row. Anything thrown rolls all
 * of it back, so a catalogue is stored whole or not at all.
 */
@ApplicationScoped
class BatchStore {
  /** Bulk jobs' dispatch priority: below single jobs (10), so an interactive job overtakes them. */
  static final int BULK_PRIORITY = 0;

  /** Longest intake transaction, s: a 200k-row catalogue takes about 15 s on a busy machine. */
  private static final int TIMEOUT_S = 300;

  private final JobRepository jobs;
  private final BatchRepository batches;
  private final Teams teams;
  private final FarmConfig.Batches config;
  private final Idempotency idempotency;

  BatchStore(
      JobRepository jobs,
      BatchRepository batches,
      Teams teams,
      FarmConfig config,
      Idempotency idempotency) {
    this.idempotency = idempotency;
    this.jobs = jobs;
    this.batches = batches;
    this.teams = teams;
    this.config = config.batches();
  }

  /** What was stored: jobs, their images, and the bad rows. */
  record Stored(int good, long images, int badRows, List<RowError> listed) {}

  /**
   * Resolves and stores the rows as batch {@code id}.
   *
   * @param source the catalogue's format, recorded with the batch
   * @throws BatchRejectedException when nothing is accepted because of bad rows
   * @throws dev.turbofarm.coordinator.team.service.QuotaExceededException past the team's quota
   */
  @Transactional
  @TransactionConfiguration(timeout = TIMEOUT_S)
  Stored store(
      UUID id,
      List<CatalogueReader.Row> rows,
      BatchDefaults defaults,
      RowResolver resolver,
      String source) {
    return write(id, rows, defaults, resolver, source);
  }

  /**
   * As {@link #store}, once per {@code Idempotency-Key}: the key is claimed first in the same
   * transaction (so the catalogue's timeout covers both), a retry with the same request hash
   * replays the first answer and stores nothing.
   *
   * @param answer the first answer to keep, from what was stored
   * @throws dev.turbofarm.coordinator.idempotency.service.IdempotencyKeyReusedException for a key
   *     first used with another request
   */
  @Transactional
  @TransactionConfiguration(timeout = TIMEOUT_S)
  Idempotency.Outcome storeOnce(
      String key,
      Caller caller,
      String requestHash,
      UUID id,
      List<CatalogueReader.Row> rows,
      BatchDefaults defaults,
      RowResolver resolver,
      String source,
      Function<Stored, String> answer) {
    return idempotency.remember(
        key,
        caller,
        "batch",
        requestHash,
        () ->
            new Idempotency.Created(id, answer.apply(write(id, rows, defaults, resolver, source))));
  }

  private Stored write(
      UUID id,
      List<CatalogueReader.Row> rows,
      BatchDefaults defaults,
      RowResolver resolver,
      String source) {
    boolean acceptValid = defaults.mode() == BatchDefaults.Mode.ACCEPT_VALID;
    List<RowError> listed = new ArrayList<>();
    int badRows = 0;
    int good = 0;
    long images = 0;
    long queued = jobs.lockAndCountQueued(defaults.team());
    // Validation and COPY run together: PostgreSQL stores one chunk while the next is checked.
    // A bad row in reject-all mode stops the writing; the rollback discards the rest.
    JobCopy.Writer copy = jobs.openCopy(id, BULK_PRIORITY, Instant.now());
    try {
      for (CatalogueReader.Row row : rows) {
        List<RowError> errors = new ArrayList<>(0);
        JobSpec spec = resolver.resolve(row, errors);
        if (errors.isEmpty()) {
          good++;
          images += spec.count();
          if (badRows == 0 || acceptValid) {
            copy.add(new JobCopy.Row(UUID.randomUUID(), row.fields().get("sku"), spec));
          }
        } else {
          badRows++;
          int room = config.maxReportedErrors() - listed.size();
          listed.addAll(errors.subList(0, Math.min(room, errors.size())));
        }
      }
      if (badRows > 0 && (!acceptValid || good == 0)) {
        throw new BatchRejectedException(
            badRows
                + " of "
                + rows.size()
                + " rows are invalid; nothing was accepted"
                + (acceptValid
                    ? ""
                    : " (mode=reject-all). Fix the listed rows, or resend with mode=accept-valid"
                        + " to accept the valid ones"),
            listed,
            badRows,
            rows.size());
      }
      teams.checkQuota(defaults.team(), queued, good);
    } catch (RuntimeException e) {
      copy.cancel();
      throw e;
    }
    copy.finish();
    batches.insert(
        new BatchRepository.NewBatch(
            id,
            defaults.team(),
            defaults.name(),
            source,
            good,
            images,
            badRows,
            defaults.webhook()));
    return new Stored(good, images, badRows, listed);
  }
}
