package dev.turbofarm.common.job;

/**
 * One problem with one input field.
 *
 * @param field the field's name as the caller spelled it, e.g. {@code width}
 * @param problem what is wrong and what would be right
 */
public record FieldError(String field, String problem) {}
