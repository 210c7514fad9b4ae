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
    String webhook) {}
