package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.InvalidJobException;
import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.job.JobSpec;
import dev.turbofarm.common.profile.Profile;
import dev.turbofarm.common.seed.Seeds;
import dev.turbofarm.coordinator.batch.persistence.JobCopy;
import dev.turbofarm.coordinator.batch.rest.BatchAccepted;
import dev.turbofarm.coordinator.batch.rest.BatchView;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.profile.ProfileService;
import dev.turbofarm.coordinator.team.Teams;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Bulk catalogues: validates every row with the same {@link JobRules} as single jobs, then stores
 * the batch and all its jobs in one transaction with COPY; a 202 means every accepted job is
 * durable. Progress, cancel and the manifest read the same rows.
 */
@ApplicationScoped
public class BatchService {
  private static final Logger LOG = Logger.getLogger(BatchService.class);

  /** Bulk jobs' dispatch priority: below single jobs (10), so an interactive job overtakes them. */
  public static final int BULK_PRIORITY = 0;

  /** Longest SKU, characters: a key for people and spreadsheets, not a document. */
  static final int MAX_SKU_CHARS = 200;

  /** Longest batch name, characters. */
  static final int MAX_NAME_CHARS = 200;

  /** Window of the images/s figure, seconds: long enough to smooth batch-by-batch rendering. */
  static final int RATE_WINDOW_S = 60;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

  private final AgroalDataSource ds;
  private final ProfileService profiles;
  private final Teams teams;
  private final FarmConfig config;
  private final Counter accepted;

  BatchService(
      AgroalDataSource ds,
      ProfileService profiles,
      Teams teams,
      FarmConfig config,
      MeterRegistry metrics) {
    this.ds = ds;
    this.profiles = profiles;
    this.teams = teams;
    this.config = config;
    this.accepted = metrics.counter("turbofarm.jobs.accepted");
  }

  /** The two intake modes. */
  enum Mode {
    REJECT_ALL,
    ACCEPT_VALID
  }

  /**
   * Reads, validates and stores a catalogue.
   *
   * @throws InvalidInputProblem for a bad batch-level parameter or an unreadable body (400)
   * @throws BatchRejectedException when nothing is accepted because of bad rows (400)
   * @throws CatalogueTooLargeException past {@code turbofarm.batches.max-rows} (413)
   * @throws dev.turbofarm.coordinator.team.QuotaExceededException past the team's quota (429)
   */
  public BatchAccepted submit(InputStream body, CatalogueReader.Format format, BatchOptions options)
      throws SQLException {
    long t0 = System.nanoTime();
    Defaults defaults = defaults(options);
    Mode mode = defaults.mode;
    Function<String, Optional<Profile>> lookup = profiles.lookup();
    List<CatalogueReader.Row> rows = CatalogueReader.read(body, format, config.batches().maxRows());
    long tParsed = System.nanoTime();

    List<RowError> bad = new ArrayList<>();
    int badRows = 0;
    int good = 0;
    long images = 0;
    Map<String, Integer> skuLines = new HashMap<>(rows.size() * 2);
    String defaultProfile = config.jobs().defaultProfile();
    SplittableRandom random = new SplittableRandom(Seeds.random());
    UUID id = UUID.randomUUID();
    long tResolved;
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      JobCopy.Writer copy = null;
      try {
        long queued = teams.lockAndCountQueued(c, defaults.team);
        // Validation and COPY run together: PostgreSQL stores one chunk while the next is checked.
        // A bad row in reject-all mode stops the writing; the rollback below discards the rest.
        copy = JobCopy.open(c, id, BULK_PRIORITY, Instant.now());
        for (CatalogueReader.Row row : rows) {
          List<RowError> errors = new ArrayList<>(0);
          JobSpec spec =
              resolveRow(row, defaults, lookup, defaultProfile, skuLines, random, errors);
          if (errors.isEmpty()) {
            good++;
            images += spec.count();
            if (badRows == 0 || mode == Mode.ACCEPT_VALID) {
              copy.add(new JobCopy.Row(UUID.randomUUID(), row.fields().get("sku"), spec));
            }
          } else {
            badRows++;
            int room = config.batches().maxReportedErrors() - bad.size();
            bad.addAll(errors.subList(0, Math.min(room, errors.size())));
          }
        }
        tResolved = System.nanoTime();
        if (badRows > 0 && (mode == Mode.REJECT_ALL || good == 0)) {
          throw new BatchRejectedException(
              badRows
                  + " of "
                  + rows.size()
                  + " rows are invalid; nothing was accepted"
                  + (mode == Mode.REJECT_ALL
                      ? " (mode=reject-all). Fix the listed rows, or resend with mode=accept-valid"
                          + " to accept the valid ones"
                      : ""),
              bad,
              badRows,
              rows.size());
        }
        teams.checkQuota(defaults.team, queued, good);
        copy.finish();
        copy = null;
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO batch (id, team, name, source, job_count, image_count,"
                    + " rejected_count, webhook_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
          ps.setObject(1, id);
          ps.setString(2, defaults.team);
          ps.setString(3, defaults.name);
          ps.setString(4, format.name());
          ps.setInt(5, good);
          ps.setLong(6, images);
          ps.setInt(7, badRows);
          ps.setString(8, defaults.webhook);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        if (copy != null) {
          copy.cancel();
        }
        c.rollback();
        throw e;
      }
    }
    accepted.increment(good);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    LOG.infof(
        "batch %s of team %s accepted: %d jobs (%d images), %d rows rejected, %d ms (read %d ms,"
            + " validate and copy %d ms, finish and commit %d ms)",
        id,
        defaults.team,
        good,
        images,
        badRows,
        ms,
        (tParsed - t0) / 1_000_000,
        (tResolved - tParsed) / 1_000_000,
        (System.nanoTime() - tResolved) / 1_000_000);
    return new BatchAccepted(id, defaults.team, good, images, badRows, bad, ms);
  }

  /** The batch's counts per state, rate and ETA. */
  public BatchView progress(UUID id) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return progress(c, id);
    }
  }

  /**
   * Cancels a batch: its QUEUED jobs become CANCELLED and never render; DISPATCHED ones finish.
   * Rows the dispatcher holds at this moment are waited for and then skipped, since they are no
   * longer QUEUED once it commits.
   */
  public BatchView cancel(UUID id) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE batch SET cancelled_at = coalesce(cancelled_at, now()) WHERE id = ?")) {
          ps.setObject(1, id);
          if (ps.executeUpdate() == 0) {
            throw new BatchNotFoundException(id);
          }
        }
        int n;
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE job SET state = 'CANCELLED', reason = 'batch cancelled', completed_at ="
                    + " now() WHERE batch_id = ? AND state = 'QUEUED'")) {
          ps.setObject(1, id);
          n = ps.executeUpdate();
        }
        c.commit();
        LOG.infof("batch %s cancelled: %d queued jobs will not render", id, n);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      c.setAutoCommit(true);
      return progress(c, id);
    }
  }

  BatchView progress(Connection c, UUID id) throws SQLException {
    String team;
    String name;
    OffsetDateTime created;
    OffsetDateTime completed;
    OffsetDateTime cancelled;
    String webhook;
    double ageS;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT team, name, created_at, completed_at, cancelled_at, webhook_status,"
                + " extract(epoch FROM now() - created_at) AS age_s FROM batch WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new BatchNotFoundException(id);
        }
        team = rs.getString(1);
        name = rs.getString(2);
        created = rs.getObject(3, OffsetDateTime.class);
        completed = rs.getObject(4, OffsetDateTime.class);
        cancelled = rs.getObject(5, OffsetDateTime.class);
        webhook = rs.getString(6);
        ageS = rs.getDouble(7);
      }
    }
    Map<String, long[]> byState = new HashMap<>();
    long recentImages = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state, count(*), sum(image_count), coalesce(sum(image_count) FILTER (WHERE"
                + " state = 'SUCCEEDED' AND completed_at > now() - make_interval(secs => ?)), 0)"
                + " FROM job WHERE batch_id = ? GROUP BY state")) {
      ps.setInt(1, RATE_WINDOW_S);
      ps.setObject(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byState.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
          recentImages += rs.getLong(4);
        }
      }
    }
    long[] zero = {0, 0};
    long queued = byState.getOrDefault("QUEUED", zero)[0];
    long dispatched = byState.getOrDefault("DISPATCHED", zero)[0];
    long succeeded = byState.getOrDefault("SUCCEEDED", zero)[0];
    long failed = byState.getOrDefault("FAILED", zero)[0];
    long cancelledJobs = byState.getOrDefault("CANCELLED", zero)[0];
    long totalImages = byState.values().stream().mapToLong(v -> v[1]).sum();
    long doneImages = byState.getOrDefault("SUCCEEDED", zero)[1];
    long remaining =
        byState.getOrDefault("QUEUED", zero)[1] + byState.getOrDefault("DISPATCHED", zero)[1];
    double window = Math.max(1.0, Math.min(RATE_WINDOW_S, ageS));
    double rate = recentImages / window;
    Long eta = rate > 0 && remaining > 0 ? (long) Math.ceil(remaining / rate) : null;
    boolean done = queued + dispatched == 0;
    String state;
    // A cancel that found nothing queued (the batch had finished) leaves it COMPLETED.
    if (cancelled != null && (cancelledJobs > 0 || !done)) {
      state = done ? "CANCELLED" : "CANCELLING";
    } else {
      state = done ? "COMPLETED" : "RUNNING";
    }
    return new BatchView(
        id,
        team,
        name,
        state,
        done,
        new BatchView.Jobs(
            queued + dispatched + succeeded + failed + cancelledJobs,
            queued,
            dispatched,
            succeeded,
            failed,
            cancelledJobs),
        new BatchView.Images(totalImages, doneImages, remaining),
        Math.round(rate * 100) / 100.0,
        eta,
        created,
        completed,
        webhook);
  }

  private JobSpec resolveRow(
      CatalogueReader.Row row,
      Defaults d,
      Function<String, Optional<Profile>> lookup,
      String defaultProfile,
      Map<String, Integer> skuLines,
      SplittableRandom random,
      List<RowError> errors) {
    int line = row.line();
    if (row.problem() != null) {
      errors.add(new RowError(line, "row", row.problem()));
      return null;
    }
    Map<String, String> f = row.fields();
    String sku = f.get("sku");
    if (sku == null || sku.isBlank()) {
      errors.add(new RowError(line, "sku", "is required"));
    } else if (sku.length() > MAX_SKU_CHARS) {
      errors.add(
          new RowError(
              line, "sku", "is " + sku.length() + " characters; at most " + MAX_SKU_CHARS));
    } else {
      Integer first = skuLines.putIfAbsent(sku, line);
      if (first != null) {
        errors.add(new RowError(line, "sku", "'" + sku + "' repeats the SKU of line " + first));
      }
    }
    String prompt = f.get("prompt");
    if (prompt == null) {
      String template = f.getOrDefault("template", d.template);
      if (template != null) {
        prompt = fill(template, f, line, errors);
      }
    }
    Integer count = intField(f, "count", d.count, line, errors);
    Long seed = longField(f, "seed", d.seed, line, errors);
    if (seed == null && !f.containsKey("seed")) {
      // Seeds need to be spread, not secret: one generator per batch, seeded from SecureRandom,
      // instead of a SecureRandom call per row.
      seed = random.nextLong(Seeds.MAX_SEED + 1);
    }
    Integer width = intField(f, "width", null, line, errors);
    Integer height = intField(f, "height", null, line, errors);
    Integer steps = intField(f, "steps", null, line, errors);
    Double guidance = doubleField(f, "guidance", line, errors);
    String negative =
        f.getOrDefault("negative_prompt", f.getOrDefault("negativePrompt", d.negativePrompt));
    String profile = f.getOrDefault("profile", d.profile);
    if (!errors.isEmpty() && prompt == null) {
      return null;
    }
    try {
      JobSpec spec =
          JobRules.resolve(
              new JobRequest(
                  prompt, negative, profile, width, height, steps, guidance, seed, count, d.team),
              lookup,
              defaultProfile);
      return errors.isEmpty() ? spec : null;
    } catch (InvalidJobException e) {
      for (FieldError fe : e.errors()) {
        String field = fe.field();
        if (field.equals("prompt") && prompt == null) {
          errors.add(
              new RowError(
                  line,
                  "prompt",
                  "is required: give a prompt column or a template (column or"
                      + " batch parameter)"));
        } else {
          errors.add(
              new RowError(
                  line, field.equals("negativePrompt") ? "negative_prompt" : field, fe.problem()));
        }
      }
      return null;
    }
  }

  /** Fills {@code {column}} placeholders from the row; a missing column is that column's error. */
  static String fill(String template, Map<String, String> fields, int line, List<RowError> errors) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder(template.length() + 32);
    boolean ok = true;
    while (m.find()) {
      String value = fields.get(m.group(1));
      if (value == null) {
        errors.add(
            new RowError(
                line, m.group(1), "is empty or missing, and the prompt template needs it"));
        ok = false;
        value = "";
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return ok ? sb.toString() : null;
  }

  private static Integer intField(
      Map<String, String> f, String name, Integer fallback, int line, List<RowError> errors) {
    String v = f.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.valueOf(v.trim());
    } catch (NumberFormatException e) {
      errors.add(new RowError(line, name, "is '" + v + "'; must be a whole number"));
      return null;
    }
  }

  private static Long longField(
      Map<String, String> f, String name, Long fallback, int line, List<RowError> errors) {
    String v = f.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.valueOf(v.trim());
    } catch (NumberFormatException e) {
      errors.add(new RowError(line, name, "is '" + v + "'; must be a whole number"));
      return null;
    }
  }

  private static Double doubleField(
      Map<String, String> f, String name, int line, List<RowError> errors) {
    String v = f.get(name);
    if (v == null) {
      return null;
    }
    try {
      return Double.valueOf(v.trim());
    } catch (NumberFormatException e) {
      errors.add(new RowError(line, name, "is '" + v + "'; must be a number"));
      return null;
    }
  }

  /** Batch-level settings, parsed and checked once so a bad default is one 400, not N rows. */
  private record Defaults(
      Mode mode,
      String team,
      String name,
      String profile,
      Integer count,
      Long seed,
      String negativePrompt,
      String template,
      String webhook) {}

  private Defaults defaults(BatchOptions o) {
    List<FieldError> errors = new ArrayList<>();
    Mode mode = mode(o.mode(), errors);
    Integer count = null;
    if (o.count() != null && !o.count().isBlank()) {
      try {
        count = Integer.valueOf(o.count().trim());
      } catch (NumberFormatException e) {
        errors.add(new FieldError("count", "is '" + o.count() + "'; must be a whole number"));
      }
    }
    Long seed = null;
    if (o.seed() != null && !o.seed().isBlank()) {
      try {
        seed = Long.valueOf(o.seed().trim());
      } catch (NumberFormatException e) {
        errors.add(new FieldError("seed", "is '" + o.seed() + "'; must be a whole number"));
      }
    }
    String webhook = blankToNull(o.webhook());
    if (webhook != null) {
      try {
        URI uri = URI.create(webhook);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
            || uri.getHost() == null) {
          errors.add(new FieldError("webhook", "must be an absolute http or https URL"));
        }
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("webhook", "is not a URL: " + e.getMessage()));
      }
    }
    String name = blankToNull(o.name());
    if (name != null && name.length() > MAX_NAME_CHARS) {
      errors.add(
          new FieldError("name", "is " + name.length() + " characters; at most " + MAX_NAME_CHARS));
    }
    String team = blankToNull(o.team());
    String profile = blankToNull(o.profile());
    if (errors.isEmpty()) {
      // The defaults alone must make a valid job, else every row would fail the same way.
      try {
        JobRules.resolve(
            new JobRequest(
                "x", o.negativePrompt(), profile, null, null, null, null, seed, count, team),
            profiles.lookup(),
            config.jobs().defaultProfile());
      } catch (InvalidJobException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputProblem(errors);
    }
    return new Defaults(
        mode,
        team == null ? JobRules.DEFAULT_TEAM : team,
        name,
        profile,
        count,
        seed,
        blankToNull(o.negativePrompt()),
        blankToNull(o.template()),
        webhook);
  }

  private static Mode mode(String mode, List<FieldError> errors) {
    if (mode == null || mode.isBlank()) {
      return Mode.REJECT_ALL;
    }
    return switch (mode.trim().toLowerCase(Locale.ROOT)) {
      case "reject-all" -> Mode.REJECT_ALL;
      case "accept-valid" -> Mode.ACCEPT_VALID;
      default -> {
        errors.add(new FieldError("mode", "is '" + mode + "'; must be reject-all or accept-valid"));
        yield Mode.REJECT_ALL;
      }
    };
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
