package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.profile.ProfileCatalog;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.model.service.ModelRouting;
import dev.turbofarm.coordinator.profile.service.ProfileService;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.webhook.service.WebhookTargets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
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
  private final ModelRouting models;
  private final FarmConfig config;
  private final Counter accepted;

  BatchIntake(
      BatchStore store,
      ProfileService profiles,
      WebhookTargets webhooks,
      ModelRouting models,
      FarmConfig config,
      MeterRegistry metrics) {
    this.store = store;
    this.profiles = profiles;
    this.webhooks = webhooks;
    this.models = models;
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
    BatchOptions options = requested.withTeam(caller.teamFor(requested.team(), "team"));
    ProfileCatalog catalog = profiles.catalog();
    BatchDefaults defaults =
        BatchDefaults.parse(options, catalog, model(options.model()), webhooks::problemAtIntake);
    List<CatalogueReader.Row> rows = CatalogueReader.read(body, format, config.batches().maxRows());
    long tParsed = System.nanoTime();
    UUID id = UUID.randomUUID();
    RowResolver resolver = new RowResolver(defaults, catalog, rows.size());
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

  /**
   * The batch's one model: the named one if a known worker serves it, else the farm's default.
   *
   * @throws InvalidInputProblem for a malformed model id
   * @throws dev.turbofarm.coordinator.model.service.UnknownModelException for an unknown one
   */
  private String model(String named) {
    if (named == null || named.isBlank()) {
      return models.defaultModel();
    }
    String model = named.trim();
    if (model.length() > JobRules.MAX_MODEL_CHARS
        || model.chars().anyMatch(Character::isISOControl)) {
      throw InvalidInputProblem.of(
          "model", "must be 1.." + JobRules.MAX_MODEL_CHARS + " printable characters");
    }
    models.requireKnown(model, "model");
    return model;
  }
}
