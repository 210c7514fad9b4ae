package dev.turbofarm.coordinator.batch.service;

/**
 * Batch-level settings of one upload, as the caller sent them (text, so a bad number is a 400
 * naming the parameter, not a framework 404). Each row may override profile, count, seed, negative
 * prompt and prompt.
 *
 * @param mode {@code reject-all} (default) or {@code accept-valid}
 * @param team the team the jobs count against; {@code default} when absent
 * @param name a label for the batch
 * @param profile default profile
 * @param count default images per row
 * @param seed default first seed per row
 * @param negativePrompt default negative prompt
 * @param template default prompt template, e.g. {@code {color} {product} on {background}}
 * @param webhook URL called with the batch summary when the batch completes
 * @param model the model every job of the batch renders with; the farm's default when absent
 * @param steps default steps per row: a number or a step profile's name ({@code final})
 */
public record BatchOptions(
    String mode,
    String team,
    String name,
    String profile,
    String count,
    String seed,
    String negativePrompt,
    String template,
    String webhook,
    String model,
    String steps) {

  /** Options without a model or default steps. */
  public BatchOptions(
      String mode,
      String team,
      String name,
      String profile,
      String count,
      String seed,
      String negativePrompt,
      String template,
      String webhook) {
    this(mode, team, name, profile, count, seed, negativePrompt, template, webhook, null, null);
  }

  /** The same options for {@code team}. */
  public BatchOptions withTeam(String team) {
    return new BatchOptions(
        mode, team, name, profile, count, seed, negativePrompt, template, webhook, model, steps);
  }
}
