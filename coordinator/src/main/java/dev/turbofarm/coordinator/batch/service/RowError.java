package dev.turbofarm.coordinator.batch.service;

/**
 * One problem with one catalogue row.
 *
 * @param line the row's line number (see {@link CatalogueReader.Row#line})
 * @param field the offending column, or {@code row} when the row as a whole is unreadable
 * @param problem what is wrong and what would be right
 */
public record RowError(int line, String field, String problem) {}
