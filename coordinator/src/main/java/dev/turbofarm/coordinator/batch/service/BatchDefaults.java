package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.InvalidJobException;
import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.job.Steps;
import dev.turbofarm.common.profile.ProfileCatalog;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Batch-level settings, parsed and checked once so a bad default is one 400, not N rows.
 *
 * @param team the team the jobs count against, never null
 * @param template the default prompt template, e.g. {@code {color} {product} on {background}}
 * @param webhook an absolute http(s) URL called when the batch completes, or null
 * @param model the model all the batch's jobs render with, resolved once: a batch started on one
 *     model finishes on it
 * @param steps the rows' default steps, or null for each row's size profile's default
 */
record BatchDefaults(
    Mode mode,
    String team,
    String name,
    String profile,
    Integer count,
    Long seed,
    String negativePrompt,
    String template,
    String webhook,
    String model,
    Steps steps) {

  /** Longest batch name, characters. */
  static final int MAX_NAME_CHARS = 200;

  /** The two intake modes. */
  enum Mode {
    /** Any bad row rejects the whole catalogue (the default). */
    REJECT_ALL,
    /** Bad rows are reported, good ones stored. */
    ACCEPT_VALID
  }

  /**
   * Parses and checks the caller's options.
   *
   * @param catalog the profiles, to check that the defaults alone make a valid job
   * @param model the batch's model, already resolved and checked
   * @throws InvalidInputProblem naming every bad parameter
   */
  static BatchDefaults parse(BatchOptions o, ProfileCatalog catalog, String model) {
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
    Steps steps = Steps.parse(o.steps());
    if (errors.isEmpty()) {
      // The defaults alone must make a valid job, else every row would fail the same way.
      try {
        JobRules.resolve(
            new JobRequest(
                "x",
                o.negativePrompt(),
                profile,
                null,
                null,
                steps,
                null,
                seed,
                count,
                team,
                null,
                model,
                null),
            catalog,
            () -> model);
      } catch (InvalidJobException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputProblem(errors);
    }
    return new BatchDefaults(
        mode,
        team == null ? JobRules.DEFAULT_TEAM : team,
        name,
        profile,
        count,
        seed,
        blankToNull(o.negativePrompt()),
        blankToNull(o.template()),
        webhook,
        model,
        steps);
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
