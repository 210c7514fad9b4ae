package dev.turbofarm.coordinator.security.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.security.ApiKeySecrets;
import dev.turbofarm.coordinator.config.SecurityConfig;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.security.persistence.ApiKeyRepository;
import dev.turbofarm.coordinator.security.persistence.ApiKeyRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * API keys: create (the secret is returned once), list, revoke, and the check behind every request.
 *
 * <p>A check costs no query while its look-up is cached ({@code turbofarm.security.key-cache-ttl},
 * 30 s by default): a revoked key stops working at once on the replica that revoked it and within
 * that bound on every other replica. Expiry is compared on every request, so it is exact. The key's
 * {@code last_used_at} is written at most once per {@code last-use-interval} per replica.
 */
@ApplicationScoped
public class ApiKeys {
  private static final Logger LOG = Logger.getLogger(ApiKeys.class);

  /** Longest key name, characters. */
  static final int MAX_NAME_CHARS = 200;

  /** Most readable teams on one analyst key. */
  static final int MAX_TEAMS = 100;

  /** Who created the bootstrap admin key, in its row and the audit trail. */
  static final String BOOTSTRAP = "bootstrap";

  /** What authentication needs of a key row, cached; expiry is checked on every use. */
  record Grant(Caller caller, OffsetDateTime expiresAt) {}

  private final ApiKeyRepository keys;
  private final Audit audit;
  private final SecurityConfig config;

  /** Key hash -> its grant, or empty for an unknown or revoked key. */
  private final Cache<String, Optional<Grant>> cache;

  /** Key id -> when its last use was last written, ms since the epoch (this replica). */
  private final Map<String, Long> lastWritten = new ConcurrentHashMap<>();

  ApiKeys(ApiKeyRepository keys, Audit audit, SecurityConfig config) {
    this.keys = keys;
    this.audit = audit;
    this.config = config;
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(config.keyCacheTtl())
            .maximumSize(config.keyCacheSize())
            .build();
  }

  /**
   * The caller a key stands for, or empty when the key is unknown, revoked or expired. Never says
   * which: the 401 is the same.
   */
  public Optional<Caller> authenticate(String key) {
    if (!ApiKeySecrets.wellFormed(key)) {
      return Optional.empty();
    }
    Optional<Grant> grant = cache.get(ApiKeySecrets.hash(key), this::load);
    if (grant.isEmpty()) {
      return Optional.empty();
    }
    Grant g = grant.get();
    if (g.expiresAt() != null && !OffsetDateTime.now().isBefore(g.expiresAt())) {
      return Optional.empty();
    }
    recordUse(g.caller().id());
    return Optional.of(g.caller());
  }

  /** A cache miss: one query, in a transaction of its own (auth runs before any other). */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  Optional<Grant> load(String hash) {
    return keys.findByHash(hash)
        .filter(k -> k.revokedAt() == null)
        .map(k -> new Grant(caller(k), k.expiresAt()));
  }

  private static Caller caller(ApiKeyRow k) {
    return new Caller(
        k.id().toString(),
        k.name(),
        k.role(),
        k.team(),
        new LinkedHashSet<>(k.readTeams()),
        k.ratePerS());
  }

  /** Writes {@code last_used_at} when the last write from this replica is old enough. */
  private void recordUse(String id) {
    long now = System.currentTimeMillis();
    long interval = config.lastUseInterval().toMillis();
    Long last = lastWritten.get(id);
    if (last != null && now - last < interval) {
      return;
    }
    // One writer per key and interval, even when its requests arrive together.
    if (last == null
        ? lastWritten.putIfAbsent(id, now) != null
        : !lastWritten.replace(id, last, now)) {
      return;
    }
    try {
      touch(UUID.fromString(id));
    } catch (RuntimeException e) {
      // A missed last-use time never fails the request it belongs to.
      LOG.warnf("could not record the last use of API key %s: %s", id, e.toString());
    }
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void touch(UUID id) {
    keys.touch(id);
  }

  /**
   * Creates a key; the answer holds its secret, which nobody can see again.
   *
   * @throws InvalidInputProblem naming every bad field
   */
  @Transactional
  public CreatedKey create(NewKey request, Caller by) {
    NewKey r = validate(request);
    String secret = ApiKeySecrets.generate();
    ApiKeyRow row =
        keys.insert(
            UUID.randomUUID(),
            ApiKeySecrets.hash(secret),
            ApiKeySecrets.shown(secret),
            r.name(),
            r.role(),
            r.team(),
            r.teams(),
            r.rateLimit(),
            by.name() + " (" + by.id() + ")",
            r.expiresAt());
    audit.record(
        by,
        "key.create",
        "api-key:" + row.id(),
        "name=" + r.name() + " role=" + r.role() + " team=" + r.team() + teamsDetail(r.teams()));
    LOG.infof(
        "API key %s (%s, %s of team %s) created by %s",
        row.id(), r.name(), r.role(), r.team(), by.name());
    return new CreatedKey(view(row), secret);
  }

  private static String teamsDetail(List<String> teams) {
    return teams.isEmpty() ? "" : " teams=" + String.join(",", teams);
  }

  /** Every key, newest first, without secrets; revoked ones only when asked. */
  public List<ApiKey> list(boolean includeRevoked) {
    return keys.list(includeRevoked).stream().map(ApiKeys::view).toList();
  }

  /**
   * Revokes a key: it stops working at once here and within the cache bound everywhere.
   *
   * @throws KeyNotFoundException for an unknown id
   */
  @Transactional
  public ApiKey revoke(UUID id, Caller by) {
    ApiKeyRow row = keys.revoke(id).orElseThrow(() -> new KeyNotFoundException(id));
    cache.invalidateAll();
    audit.record(by, "key.revoke", "api-key:" + id, "name=" + row.name());
    LOG.infof("API key %s (%s) revoked by %s", id, row.name(), by.name());
    return view(row);
  }

  /**
   * Stores the configured bootstrap admin key unless a key with its hash exists (revoked or not: a
   * revoked bootstrap key stays revoked). Several replicas may start at once: the insert ignores a
   * duplicate.
   *
   * @return whether it was stored now
   */
  @Transactional
  public boolean bootstrap(String key) {
    String hash = ApiKeySecrets.hash(key);
    if (keys.existsByHash(hash)) {
      return false;
    }
    boolean stored =
        keys.insertIfAbsent(
            UUID.randomUUID(),
            hash,
            ApiKeySecrets.shown(key),
            "bootstrap admin",
            Roles.ADMIN,
            JobRules.DEFAULT_TEAM,
            BOOTSTRAP);
    if (stored) {
      audit.record(
          new Caller(BOOTSTRAP, BOOTSTRAP, Roles.ADMIN, JobRules.DEFAULT_TEAM, Set.of()),
          "key.bootstrap",
          "api-key:" + ApiKeySecrets.shown(key),
          "from turbofarm.security.bootstrap-admin-key");
    }
    return stored;
  }

  private static NewKey validate(NewKey r) {
    if (r == null) {
      throw InvalidInputProblem.of("body", "a JSON object with name, role and team is required");
    }
    List<FieldError> errors = new ArrayList<>();
    String name = r.name() == null ? null : r.name().strip();
    if (name == null || name.isEmpty()) {
      errors.add(new FieldError("name", "is required: who holds the key"));
    } else if (name.length() > MAX_NAME_CHARS) {
      errors.add(
          new FieldError("name", "is " + name.length() + " characters; at most " + MAX_NAME_CHARS));
    }
    if (!Roles.isRole(r.role())) {
      errors.add(new FieldError("role", "is '" + r.role() + "'; must be one of " + Roles.ALL));
    }
    if (!JobRules.isTeamName(r.team())) {
      errors.add(new FieldError("team", JobRules.TEAM_RULE));
    }
    List<String> teams = r.teams() == null ? List.of() : r.teams();
    if (!teams.isEmpty() && !Roles.ANALYST.equals(r.role())) {
      errors.add(
          new FieldError(
              "teams", "only analyst keys read further teams; a " + r.role() + " key has one"));
    }
    if (teams.size() > MAX_TEAMS) {
      errors.add(new FieldError("teams", "has " + teams.size() + " teams; at most " + MAX_TEAMS));
    }
    for (int i = 0; i < teams.size(); i++) {
      if (!JobRules.isTeamName(teams.get(i))) {
        errors.add(new FieldError("teams[" + i + "]", JobRules.TEAM_RULE));
      }
    }
    if (r.rateLimit() != null && r.rateLimit() < 1) {
      errors.add(
          new FieldError("rateLimit", "is " + r.rateLimit() + "; must be at least 1 request/s"));
    }
    if (r.expiresAt() != null && !r.expiresAt().isAfter(OffsetDateTime.now())) {
      errors.add(new FieldError("expiresAt", "is " + r.expiresAt() + ", not in the future"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputProblem(errors);
    }
    return new NewKey(
        name,
        r.role(),
        r.team(),
        List.copyOf(new LinkedHashSet<>(teams)),
        r.rateLimit(),
        r.expiresAt());
  }

  private static ApiKey view(ApiKeyRow k) {
    String state =
        k.revokedAt() != null
            ? "REVOKED"
            : k.expiresAt() != null && !OffsetDateTime.now().isBefore(k.expiresAt())
                ? "EXPIRED"
                : "ACTIVE";
    return new ApiKey(
        k.id(),
        k.prefix(),
        k.name(),
        k.role(),
        k.team(),
        k.readTeams(),
        k.ratePerS(),
        k.createdAt(),
        k.createdBy(),
        k.expiresAt(),
        k.revokedAt(),
        k.lastUsedAt(),
        state);
  }
}
