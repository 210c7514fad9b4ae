package dev.turbofarm.coordinator.analytics.persistence;

import dev.turbofarm.coordinator.analytics.Dimension;

/**
 * Each dimension's SQL over table alias {@code i}: the image rows, or {@code image_daily}, whose
 * columns have the same names.
 */
final class DimensionSql {
  private DimensionSql() {}

  static String of(Dimension d) {
    return switch (d) {
      case TEAM -> "i.team";
      case PROFILE -> "i.profile";
      case STEP_PROFILE -> "i.step_profile";
      case STEPS -> "i.steps";
      case MODEL -> "i.model_id";
      case WIDTH -> "i.width";
      case HEIGHT -> "i.height";
      case SIZE -> "i.width || 'x' || i.height";
      case GUIDANCE -> "i.guidance";
      case DAY -> "(i.created_at AT TIME ZONE 'UTC')::date";
      case VERDICT -> "coalesce(i.verdict, 'unreviewed')";
      case DERIVATION -> "coalesce(i.derivation, 'none')";
      case BATCH -> "i.batch_id";
    };
  }
}
