package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.InvalidJobException;
import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.job.Steps;
import dev.turbofarm.common.profile.ProfileCatalog;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Batch-level settings, parsed and checked once so a bad default is one 400, not N rows.
 *
 * @param team the team the jobs count against, never null
 * @param template the default prompt template, e.g. {@code {color} {product} on {background}}
 * @param webhook an https URL (http in dev and test) called when the batch completes, whose host
 *     resolved only to addresses the webhook policy allows at intake; or null
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

  /** Longest prompt template, characters: the prompt it makes has the same cap. */
  static final int MAX_TEMPLATE_CHARS = JobRules.MAX_PROMPT_CHARS;

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
   * @param webhookProblem what is wrong with a webhook URL (WebhookTargets), null when nothing
   * @throws InvalidInputProblem naming every bad parameter
   */
  static BatchDefaults parse(
      BatchOptions o,
      ProfileCatalog catalog,
      String model,
      Function<String, String> webhookProblem) {
    List<FieldError> errors = new ArrayList<>();
    // Every parameter obeys the text rule (query parameters already did; form parts come here).
    JobRules.checkText("mode", o.mode(), false, errors);
    JobRules.checkText("team", o.team(), false, errors);
    JobRules.checkText("name", o.name(), false, errors);
    JobRules.checkText("profile", o.profile(), false, errors);
    JobRules.checkText("count", o.count(), false, errors);
    JobRules.checkText("seed", o.seed(), false, errors);
    JobRules.checkText("negativePrompt", o.negativePrompt(), true, errors);
    JobRules.checkText("template", o.template(), true, errors);
    JobRules.checkText("webhook", o.webhook(), false, errors);
    JobRules.checkText("model", o.model(), false, errors);
    JobRules.checkText("steps", o.steps(), false, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputProblem(errors);
    }
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
      // Scheme, host, and every address the host resolves to now (webhook.WebhookTargets).
      String problem = webhookProblem.apply(webhook.trim());
      if (problem != null) {
        errors.add(new FieldError("webhook", problem));
      }
      webhook = webhook.trim();
    }
    String template = blankToNull(o.template());
    if (template != null && template.length() > MAX_TEMPLATE_CHARS) {
      errors.add(
          new FieldError(
              "template",
              "is " + template.length() + " characters; at most " + MAX_TEMPLATE_CHARS));
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
        template,
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
