package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.common.profile.Profile;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.profile.service.ProfileService;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.webhook.service.WebhookTargets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Bulk catalogue intake: checks the batch-level settings ({@link BatchDefaults}), reads the body
 * ({@link CatalogueReader}), and has {@link BatchStore} validate every row with the same rules as
 * single jobs and store the batch and all its jobs in one transaction; a 202 means every accepted
 * job is durable.
 */
@ApplicationScoped
public class BatchIntake {
  private static final Logger LOG = Logger.getLogger(BatchIntake.class);

  private final BatchStore store;
  private final ProfileService profiles;
  private final WebhookTargets webhooks;
  private final FarmConfig config;
  private final Counter accepted;

  BatchIntake(
      BatchStore store,
      ProfileService profiles,
      WebhookTargets webhooks,
      FarmConfig config,
      MeterRegistry metrics) {
    this.store = store;
    this.profiles = profiles;
    this.webhooks = webhooks;
    this.config = config;
    this.accepted = metrics.counter("turbofarm.jobs.accepted");
  }

  /**
   * Reads, validates and stores a catalogue for the caller's team (an admin may name another).
   *
   * @throws dev.turbofarm.coordinator.error.InvalidInputProblem for a bad batch-level parameter or
   *     an unreadable body (400)
   * @throws BatchRejectedException when nothing is accepted because of bad rows (400)
   * @throws CatalogueTooLargeException past {@code turbofarm.batches.max-rows} (413)
   * @throws dev.turbofarm.coordinator.team.service.QuotaExceededException past the team's quota
   *     (429)
   * @throws dev.turbofarm.coordinator.error.ForbiddenProblem when a non-admin names another team
   */
  public Intake submit(
      InputStream body, CatalogueReader.Format format, BatchOptions requested, Caller caller) {
    long t0 = System.nanoTime();
    BatchOptions options =
        new BatchOptions(
            requested.mode(),
            caller.teamFor(requested.team(), "team"),
            requested.name(),
            requested.profile(),
            requested.count(),
            requested.seed(),
            requested.negativePrompt(),
            requested.template(),
            requested.webhook());
    Function<String, Optional<Profile>> lookup = profiles.lookup();
    String defaultProfile = config.jobs().defaultProfile();
    BatchDefaults defaults =
        BatchDefaults.parse(options, lookup, defaultProfile, webhooks::problemAtIntake);
    List<CatalogueReader.Row> rows = CatalogueReader.read(body, format, config.batches().maxRows());
    long tParsed = System.nanoTime();
    UUID id = UUID.randomUUID();
    RowResolver resolver = new RowResolver(defaults, lookup, defaultProfile, rows.size());
    BatchStore.Stored s = store.store(id, rows, defaults, resolver, format.name());
    accepted.increment(s.good());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    LOG.infof(
        "batch %s of team %s accepted: %d jobs (%d images), %d rows rejected, %d ms (read %d ms,"
            + " validate, copy and commit %d ms)",
        id,
        defaults.team(),
        s.good(),
        s.images(),
        s.badRows(),
        ms,
        (tParsed - t0) / 1_000_000,
        (System.nanoTime() - tParsed) / 1_000_000);
    return new Intake(id, defaults.team(), s.good(), s.images(), s.badRows(), s.listed(), ms);
  }
}
