package dev.turbofarm.coordinator.seed.service;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.seed.Seeds;
import dev.turbofarm.coordinator.error.ConflictProblem;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.error.NotFoundProblem;
import dev.turbofarm.coordinator.seed.persistence.SeedPoolRepository;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Each team's seed pool: read (the default pool until the team sets one), replaced, or grown by one
 * offset that proved good ("promote"). Offsets are 0..2^32-1, unique, at most {@link
 * Seeds#MAX_POOL_SIZE} (one variants job's images).
 */
@ApplicationScoped
public class SeedPools {
  private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final SeedPoolRepository pools;

  SeedPools(SeedPoolRepository pools) {
    this.pools = pools;
  }

  /**
   * The team's pool, or the default one.
   *
   * @throws NotFoundProblem for a team outside {@code scope}
   */
  @Transactional
  public SeedPool get(String team, TeamScope scope) {
    checkTeam(team, scope);
    return pools
        .find(team)
        .map(p -> new SeedPool(team, p.offsets(), false, p.updatedAt(), p.updatedBy()))
        .orElseGet(() -> new SeedPool(team, Seeds.DEFAULT_VARIANT_POOL, true, null, null));
  }

  /** The offsets of the team's pool, with no scope check: for services acting for the team. */
  @Transactional
  public List<Long> offsetsOf(String team) {
    return pools.find(team).map(p -> p.offsets()).orElse(Seeds.DEFAULT_VARIANT_POOL);
  }

  /**
   * Replaces the team's pool.
   *
   * @throws InvalidInputProblem naming each bad offset
   */
  @Transactional
  public SeedPool set(String team, List<Long> offsets, String who, TeamScope scope) {
    checkTeam(team, scope);
    List<FieldError> errors = JobRules.checkSeedPool("offsets", offsets);
    if (!errors.isEmpty()) {
      throw new InvalidInputProblem(errors);
    }
    pools.lock(team);
    var p = pools.save(team, offsets, who);
    return new SeedPool(team, p.offsets(), false, p.updatedAt(), p.updatedBy());
  }

  /**
   * Adds one offset to the team's pool (a copy of the default pool when it has none); an offset
   * already in it changes nothing.
   *
   * @throws ConflictProblem when the pool is full
   */
  @Transactional
  public SeedPool promote(String team, Long offset, String who, TeamScope scope) {
    checkTeam(team, scope);
    if (offset == null || offset < 0 || offset > Seeds.MAX_SEED) {
      throw InvalidInputProblem.of("offset", "is " + offset + "; must be 0.." + Seeds.MAX_SEED);
    }
    pools.lock(team);
    SeedPool now = get(team, scope);
    if (now.offsets().contains(offset)) {
      return now;
    }
    if (now.offsets().size() >= Seeds.MAX_POOL_SIZE) {
      throw new ConflictProblem(
          "the seed pool of team "
              + team
              + " is full ("
              + Seeds.MAX_POOL_SIZE
              + " offsets, one variants job); replace it with PUT /api/v1/teams/"
              + team
              + "/seed-pool to make room for "
              + offset);
    }
    List<Long> grown = new ArrayList<>(now.offsets());
    grown.add(offset);
    var p = pools.save(team, grown, who);
    return new SeedPool(team, p.offsets(), false, p.updatedAt(), p.updatedBy());
  }

  private static void checkTeam(String team, TeamScope scope) {
    if (team == null
        || team.length() > JobRules.MAX_TEAM_CHARS
        || !TEAM.matcher(team).matches()
        || !scope.sees(team)) {
      throw new NotFoundProblem("no team " + team + " visible to this caller");
    }
  }
}
