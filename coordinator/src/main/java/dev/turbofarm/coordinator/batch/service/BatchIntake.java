package dev.turbofarm.coordinator.batch.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.profile.ProfileCatalog;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.idempotency.service.Idempotency;
import dev.turbofarm.coordinator.model.service.ModelRouting;
import dev.turbofarm.coordinator.profile.service.ProfileService;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.webhook.service.WebhookTargets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Bulk catalogue intake: checks the batch-level settings ({@link BatchDefaults}), reads the body
 * ({@link CatalogueReader}), and has {@link BatchStore} validate every row with the same rules as
 * single jobs and store the batch and all its jobs in one transaction; a 202 means every accepted
 * job is durable. With an {@code Idempotency-Key} the key is claimed in that same transaction
 * ({@link Idempotency}): a retry of the same catalogue gets the first answer, not a second batch.
 */
@ApplicationScoped
public class BatchIntake {
  private static final Logger LOG = Logger.getLogger(BatchIntake.class);

  private final BatchStore store;
  private final ProfileService profiles;
  private final WebhookTargets webhooks;
  private final ModelRouting models;
  private final FarmConfig config;
  private final ObjectMapper json;
  private final Counter accepted;

  BatchIntake(
      BatchStore store,
      ProfileService profiles,
      WebhookTargets webhooks,
      ModelRouting models,
      FarmConfig config,
      ObjectMapper json,
      MeterRegistry metrics) {
    this.json = json;
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
    return submit(body, format, requested, caller, null).intake();
  }

  /**
   * The answer to a catalogue upload.
   *
   * @param replayed whether this was a retry with an {@code Idempotency-Key} that only replays the
   *     first answer (the same batch, no new jobs)
   */
  public record Submitted(Intake intake, boolean replayed) {}

  /**
   * As {@link #submit(InputStream, CatalogueReader.Format, BatchOptions, Caller)}, once per {@code
   * idempotencyKey} (null or empty: no key). The request's hash covers the format, the batch-level
   * settings as sent and the body's bytes.
   *
   * @throws dev.turbofarm.coordinator.idempotency.service.IdempotencyKeyReusedException for a key
   *     first used with another request (422)
   */
  public Submitted submit(
      InputStream body,
      CatalogueReader.Format format,
      BatchOptions requested,
      Caller caller,
      String idempotencyKey) {
    long t0 = System.nanoTime();
    BatchOptions options = requested.withTeam(caller.teamFor(requested.team(), "team"));
    ProfileCatalog catalog = profiles.catalog();
    BatchDefaults defaults =
        BatchDefaults.parse(options, catalog, model(options.model()), webhooks::problemAtIntake);
    boolean keyed = idempotencyKey != null && !idempotencyKey.isEmpty();
    DigestInputStream hashed = new DigestInputStream(body, Idempotency.digest());
    // The readers close what they read; the digest still needs whatever follows the last row.
    InputStream unclosed =
        new FilterInputStream(hashed) {
          @Override
          public void close() {}
        };
    List<CatalogueReader.Row> rows =
        CatalogueReader.read(keyed ? unclosed : body, format, config.batches().maxRows());
    long tParsed = System.nanoTime();
    if (!keyed) {
      return new Submitted(store(rows, defaults, catalog, format, t0, tParsed), false);
    }
    // The reader may stop before the end (a JSON array's closing bracket): the rest counts too.
    try (hashed) {
      hashed.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("reading the rest of a catalogue failed", e);
    }
    String hash =
        Idempotency.hash(
            "batch\n"
                + format
                + "\n"
                + requested
                + "\n"
                + HexFormat.of().formatHex(hashed.getMessageDigest().digest()));
    UUID id = UUID.randomUUID();
    Idempotency.Outcome once =
        store.storeOnce(
            idempotencyKey,
            caller,
            hash,
            id,
            rows,
            defaults,
            new RowResolver(defaults, catalog, rows.size()),
            format.name(),
            s -> write(intake(id, defaults, s, t0)));
    Intake intake = read(once.answer());
    if (once.replayed()) {
      LOG.infof(
          "batch %s of team %s replayed for a retry with its Idempotency-Key: no new jobs",
          intake.id(), intake.team());
    } else {
      accepted(intake, tParsed - t0);
    }
    return new Submitted(intake, once.replayed());
  }

  private Intake store(
      List<CatalogueReader.Row> rows,
      BatchDefaults defaults,
      ProfileCatalog catalog,
      CatalogueReader.Format format,
      long t0,
      long tParsed) {
    UUID id = UUID.randomUUID();
    RowResolver resolver = new RowResolver(defaults, catalog, rows.size());
    Intake intake =
        intake(id, defaults, store.store(id, rows, defaults, resolver, format.name()), t0);
    accepted(intake, tParsed - t0);
    return intake;
  }

  private static Intake intake(UUID id, BatchDefaults defaults, BatchStore.Stored s, long t0) {
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new Intake(id, defaults.team(), s.good(), s.images(), s.badRows(), s.listed(), ms);
  }

  private void accepted(Intake i, long readNs) {
    accepted.increment(i.accepted());
    LOG.infof(
        "batch %s of team %s accepted: %d jobs (%d images), %d rows rejected, %d ms (read %d ms,"
            + " validate, copy and commit %d ms)",
        i.id(),
        i.team(),
        i.accepted(),
        i.images(),
        i.rejectedCount(),
        i.intakeMs(),
        readNs / 1_000_000,
        i.intakeMs() - readNs / 1_000_000);
  }

  private String write(Intake intake) {
    try {
      return json.writeValueAsString(intake);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the answer of batch " + intake.id(), e);
    }
  }

  private Intake read(String answer) {
    try {
      return json.readValue(answer, Intake.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored batch answer is not readable: " + answer, e);
    }
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
