package dev.turbofarm.coordinator.analytics.service;

import dev.turbofarm.coordinator.analytics.Dimension;
import dev.turbofarm.coordinator.analytics.ImageFilter;
import dev.turbofarm.coordinator.analytics.service.SummaryAggregator.Part;
import dev.turbofarm.coordinator.config.FarmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The merged rollups of recent summaries' closed days, in memory, least recently used out first,
 * bounded by the values held. Exact by construction: an entry is keyed by the filter, the groups
 * and each rolled-up day with the time it was rolled up, read from the database by every summary; a
 * day that changes is dirty (read from rows instead) and, rolled up again, has a new time, so an
 * entry is never used for data it does not hold. Per replica; nothing to invalidate.
 */
@ApplicationScoped
class RollupCache {
  /** What an entry holds: the rollups of these days, for this filter, by these groups. */
  record Key(
      ImageFilter filter, List<Dimension> groupBy, SortedMap<LocalDate, OffsetDateTime> days) {}

  private final long maxValues;
  private final LinkedHashMap<Key, Map<List<Object>, Part>> entries =
      new LinkedHashMap<>(16, 0.75f, true);
  private long values;

  RollupCache(FarmConfig config) {
    this.maxValues = config.analytics().summaryCacheValues();
  }

  synchronized Map<List<Object>, Part> get(Key key) {
    return entries.get(key);
  }

  synchronized void put(Key key, Map<List<Object>, Part> parts) {
    long size = size(parts);
    if (size > maxValues) {
      return;
    }
    Map<List<Object>, Part> old = entries.put(key, parts);
    values += size - (old == null ? 0 : size(old));
    for (Iterator<Map<List<Object>, Part>> it = entries.values().iterator();
        values > maxValues && it.hasNext(); ) {
      values -= size(it.next());
      it.remove();
    }
  }

  private static long size(Map<List<Object>, Part> parts) {
    return parts.values().stream().mapToLong(Part::values).sum();
  }
}
