package dev.turbofarm.coordinator.analytics.persistence;

import dev.turbofarm.coordinator.analytics.ImageFilter;
import java.util.List;

/** An {@link ImageFilter} as SQL conditions on table alias {@code i}. */
final class Filters {
  private Filters() {}

  /** The SQL conditions of this filter on table alias {@code i}, with their parameters. */
  static Where where(ImageFilter f, boolean withTime) {
    Where w = new Where();
    if (f.teams() != null) {
      w.add("i.team = ANY (?)", List.copyOf(f.teams()));
    }
    w.eq("i.team", f.team());
    w.eq("i.batch_id", f.batchId());
    w.eq("i.model_id", f.model());
    w.eq("i.profile", f.profile());
    w.eq("i.step_profile", f.stepProfile());
    w.eq("i.width", f.width());
    w.eq("i.height", f.height());
    w.eq("i.steps", f.steps());
    w.eq("i.guidance", f.guidance());
    w.eq("i.seed", f.seed());
    if (withTime && f.from() != null) {
      w.add("i.created_at >= ?", f.from());
    }
    if (withTime && f.to() != null) {
      w.add("i.created_at < ?", f.to());
    }
    if (f.qualityMin() != null) {
      w.add("i.quality >= ?", f.qualityMin());
    }
    if (f.qualityMax() != null) {
      w.add("i.quality <= ?", f.qualityMax());
    }
    if (f.verdict() != null) {
      if (f.verdict().equals("unreviewed")) {
        w.add("i.verdict IS NULL");
      } else {
        w.add("i.verdict = ?", f.verdict());
      }
    }
    if (f.derivation() != null) {
      if (f.derivation().equals("none")) {
        w.add("i.derivation IS NULL");
      } else {
        w.add("i.derivation = ?", f.derivation());
      }
    }
    if (f.prompt() != null) {
      PromptSearch.addTo(w, "i.prompt", f.prompt());
    }
    return w;
  }
}
