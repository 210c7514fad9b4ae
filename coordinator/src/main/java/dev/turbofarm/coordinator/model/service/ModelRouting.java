package dev.turbofarm.coordinator.model.service;

import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.worker.persistence.WorkerRepository;
import dev.turbofarm.coordinator.worker.persistence.WorkerRepository.ModelRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which models the farm serves, and the model of a job that names none. A model is known when a
 * live worker serves it (the worker registry, fed by heartbeats), when it is declared in {@code
 * turbofarm.jobs.models} (a pool scaled to zero), or when it is the configured default. A job is
 * routed to its model's own jobs topic (docs/adr/0012-model-routing.md); one naming an unknown
 * model answers 422 instead of waiting for a worker that will never come. The one place that
 * decides "can this model render?": capability routing (issue 14) extends it here.
 */
@ApplicationScoped
public class ModelRouting {
  /** How long one read of the registry serves, ns: submissions in a burst share it. */
  private static final long CACHE_NS = 1_000_000_000L;

  private final WorkerRepository workers;
  private final FarmConfig.Jobs config;
  private volatile Snapshot cached;

  ModelRouting(WorkerRepository workers, FarmConfig config) {
    this.workers = workers;
    this.config = config.jobs();
  }

  /**
   * A model the farm knows.
   *
   * @param model the model id, e.g. {@code turbofarm-tiny@1.4}
   * @param liveWorkers workers serving it now
   * @param lastSeen the newest heartbeat of one of its workers; null for a declared model no worker
   *     reported
   * @param isDefault whether a job without a model gets it
   */
  public record KnownModel(
      String model, int liveWorkers, OffsetDateTime lastSeen, boolean isDefault) {}

  /** Every known model, the default first, then by live workers. */
  public List<KnownModel> known() {
    Snapshot s = snapshot();
    String def = s.defaultModel();
    List<KnownModel> out = new ArrayList<>();
    for (ModelRow m : s.models().values()) {
      out.add(new KnownModel(m.modelId(), m.liveWorkers(), m.lastSeen(), m.modelId().equals(def)));
    }
    out.sort(
        (a, b) ->
            a.isDefault() != b.isDefault()
                ? (a.isDefault() ? -1 : 1)
                : Integer.compare(b.liveWorkers(), a.liveWorkers()));
    return out;
  }

  /**
   * The model of a job that names none: {@code turbofarm.jobs.default-model}, else the model most
   * live workers serve, else the model of the worker heard from last; null while no worker ever
   * reported and no default is configured (the job is stored without one and gets the default when
   * it is dispatched, once a worker has reported).
   */
  public String defaultModel() {
    return snapshot().defaultModel();
  }

  /**
   * Checks that a known worker serves {@code model} (or that it is declared).
   *
   * @throws UnknownModelException naming the model and the known ones (422)
   */
  public void requireKnown(String model, String field) {
    Snapshot s = snapshot();
    if (!s.models().containsKey(model)) {
      throw new UnknownModelException(field, model, List.copyOf(s.models().keySet()));
    }
  }

  private Snapshot snapshot() {
    Snapshot s = cached;
    long now = System.nanoTime();
    if (s == null || now - s.readAtNs() > CACHE_NS) {
      s = read(now);
      cached = s;
    }
    return s;
  }

  private Snapshot read(long now) {
    long windowMs = config.knownModelWindow().toMillis();
    Map<String, ModelRow> models = new LinkedHashMap<>();
    ModelRow mostServed = null;
    ModelRow lastHeard = null;
    for (ModelRow m : workers.models(windowMs)) {
      if (m.liveWorkers() > 0) {
        models.put(m.modelId(), m);
        if (mostServed == null) {
          mostServed = m; // rows come with the most live workers first
        }
      }
      if (lastHeard == null
          || m.lastSeen() != null
              && lastHeard.lastSeen() != null
              && m.lastSeen().isAfter(lastHeard.lastSeen())) {
        lastHeard = m;
      }
    }
    for (String declared : config.models().orElse(List.of())) {
      models.putIfAbsent(declared.trim(), new ModelRow(declared.trim(), 0, null));
    }
    String def =
        config
            .defaultModel()
            .orElse(
                mostServed != null
                    ? mostServed.modelId()
                    : lastHeard != null ? lastHeard.modelId() : null);
    if (def != null) {
      ModelRow row = models.get(def);
      if (row == null && lastHeard != null && lastHeard.modelId().equals(def)) {
        row = lastHeard;
      }
      models.putIfAbsent(def, row != null ? row : new ModelRow(def, 0, null));
    }
    return new Snapshot(now, models, def);
  }

  private record Snapshot(long readAtNs, Map<String, ModelRow> models, String defaultModel) {}
}
