package dev.turbofarm.coordinator.dispatch.service;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Each team's recent bulk usage for fair share: jobs dispatched, decayed exponentially with a
 * half-life, so that a team that had the farm to itself yields to a newcomer until their recent
 * usage is even, and old usage is forgotten. Kept in this coordinator's memory: usage restarts at
 * zero with the coordinator (fair share then falls back to in-flight jobs, which are in
 * PostgreSQL), and each dispatching replica counts what it dispatched itself.
 */
final class TeamUsage {
  private final long halfLifeNs;
  private final LongSupplier clock;
  private final Map<String, Double> usage = new HashMap<>();
  private long decayedAtNs;

  TeamUsage(long halfLifeNs, LongSupplier clock) {
    this.halfLifeNs = halfLifeNs;
    this.clock = clock;
    this.decayedAtNs = clock.getAsLong();
  }

  /** Adds {@code jobs} dispatched for {@code team} now. */
  synchronized void charge(String team, int jobs) {
    if (halfLifeNs <= 0 || jobs <= 0) {
      return;
    }
    decay();
    usage.merge(team, (double) jobs, Double::sum);
  }

  /** The usage of {@code team} now, jobs (0 for a team not seen within a few half-lives). */
  synchronized double of(String team) {
    if (halfLifeNs <= 0) {
      return 0;
    }
    decay();
    return usage.getOrDefault(team, 0.0);
  }

  private void decay() {
    long now = clock.getAsLong();
    long elapsed = now - decayedAtNs;
    if (elapsed <= 0) {
      return;
    }
    decayedAtNs = now;
    double factor = Math.pow(0.5, elapsed / (double) halfLifeNs);
    // Below a hundredth of a job a team is forgotten: the map holds only recently active teams.
    usage.replaceAll((team, u) -> u * factor);
    usage.values().removeIf(u -> u < 0.01);
  }
}
