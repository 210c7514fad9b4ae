package dev.turbofarm.coordinator.batch.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.InvalidJobException;
import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.job.JobSpec;
import dev.turbofarm.common.job.Steps;
import dev.turbofarm.common.profile.ProfileCatalog;
import dev.turbofarm.common.seed.Seeds;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns catalogue rows into jobs with the same {@link JobRules} as single jobs: the batch's
 * defaults fill what a row leaves out, a template makes the prompt from the row's columns, and
 * every problem is reported with the row's line and column. One resolver per catalogue: it
 * remembers SKUs to reject repeats.
 */
final class RowResolver {
  /** Longest SKU, characters: a key for people and spreadsheets, not a document. */
  static final int MAX_SKU_CHARS = 200;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

  private final BatchDefaults defaults;
  private final ProfileCatalog catalog;
  private final Map<String, Integer> skuLines;
  private final SplittableRandom random = new SplittableRandom(Seeds.random());

  RowResolver(BatchDefaults defaults, ProfileCatalog catalog, int rows) {
    this.defaults = defaults;
    this.catalog = catalog;
    this.skuLines = new HashMap<>(rows * 2);
  }

  /**
   * The row's job, or null when the row is bad; then {@code errors} holds each problem.
   *
   * @param errors receives the row's problems
   */
  JobSpec resolve(CatalogueReader.Row row, List<RowError> errors) {
    int line = row.line();
    if (row.problem() != null) {
      errors.add(new RowError(line, "row", row.problem()));
      return null;
    }
    Map<String, String> f = row.fields();
    checkSku(f.get("sku"), line, errors);
    String prompt = f.get("prompt");
    if (prompt == null) {
      String template = f.getOrDefault("template", defaults.template());
      if (template != null) {
        String problem = JobRules.textProblem(template, true);
        if (problem != null) {
          errors.add(new RowError(line, "template", problem));
        } else {
          prompt = fill(template, f, line, errors);
        }
      }
    }
    Integer count = intField(f, "count", defaults.count(), line, errors);
    Long seed = longField(f, "seed", defaults.seed(), line, errors);
    if (seed == null && !f.containsKey("seed")) {
      // Seeds need to be spread, not secret: one generator per batch, seeded from SecureRandom,
      // instead of a SecureRandom call per row.
      seed = random.nextLong(Seeds.MAX_SEED + 1);
    }
    Integer width = intField(f, "width", null, line, errors);
    Integer height = intField(f, "height", null, line, errors);
    Steps steps = f.containsKey("steps") ? Steps.parse(f.get("steps")) : defaults.steps();
    Double guidance = doubleField(f, "guidance", line, errors);
    String negative =
        f.getOrDefault(
            "negative_prompt", f.getOrDefault("negativePrompt", defaults.negativePrompt()));
    String profile = f.getOrDefault("profile", defaults.profile());
    if (!errors.isEmpty() && prompt == null) {
      return null;
    }
    try {
      JobSpec spec =
          JobRules.resolve(
              new JobRequest(
                  prompt,
                  negative,
                  profile,
                  width,
                  height,
                  steps,
                  guidance,
                  seed,
                  count,
                  defaults.team(),
                  null,
                  defaults.model(),
                  null),
              catalog,
              defaults::model);
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

  private void checkSku(String sku, int line, List<RowError> errors) {
    String problem = JobRules.textProblem(sku, false);
    if (sku == null || sku.isBlank()) {
      errors.add(new RowError(line, "sku", "is required"));
    } else if (problem != null) {
      errors.add(new RowError(line, "sku", problem));
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
  }

  /**
   * Fills {@code {column}} placeholders from the row. A missing column, or one whose value breaks
   * the text rule, is that column's error, reported once however often the template names it;
   * filling stops as soon as the prompt passes {@link JobRules#MAX_PROMPT_CHARS}, so a template
   * cannot make a row cost more than one prompt's worth of work.
   *
   * @return the prompt, or null when the row has an error here
   */
  static String fill(String template, Map<String, String> fields, int line, List<RowError> errors) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb =
        new StringBuilder(Math.min(template.length() + 32, JobRules.MAX_PROMPT_CHARS));
    Set<String> reported = new HashSet<>();
    boolean ok = true;
    while (m.find()) {
      String column = m.group(1);
      String value = fields.get(column);
      if (value == null) {
        if (reported.add(column)) {
          errors.add(
              new RowError(line, column, "is empty or missing, and the prompt template needs it"));
        }
        ok = false;
        value = "";
      } else {
        String problem = JobRules.textProblem(value, true);
        if (problem != null) {
          if (reported.add(column)) {
            errors.add(new RowError(line, column, problem));
          }
          ok = false;
          value = "";
        }
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
      if (sb.length() > JobRules.MAX_PROMPT_CHARS) {
        errors.add(
            new RowError(
                line,
                "prompt",
                "the template makes a prompt of more than "
                    + JobRules.MAX_PROMPT_CHARS
                    + " characters from this row"));
        return null;
      }
    }
    m.appendTail(sb);
    if (ok && sb.length() > JobRules.MAX_PROMPT_CHARS) {
      errors.add(
          new RowError(
              line,
              "prompt",
              "the template makes a prompt of more than "
                  + JobRules.MAX_PROMPT_CHARS
                  + " characters from this row"));
      return null;
    }
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
}
