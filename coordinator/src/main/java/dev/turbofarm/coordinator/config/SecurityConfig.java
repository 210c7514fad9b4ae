package dev.turbofarm.coordinator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Identity and per-key limits, under {@code turbofarm.security.*}; each key with its default and
 * unit. OIDC itself is Quarkus's {@code quarkus.oidc.*} (off unless {@code
 * quarkus.oidc.tenant-enabled=true}); only the claims TurboFarm reads are here.
 */
@ConfigMapping(prefix = "turbofarm.security")
public interface SecurityConfig {

  /**
   * An admin key ({@code tf_} and at least 32 URL-safe characters) stored, as its hash, at start if
   * no key with that hash exists: how a production coordinator gets its first admin key (a secret
   * from the environment, {@code TURBOFARM_SECURITY_BOOTSTRAP_ADMIN_KEY}). Idempotent; revoking it
   * sticks (a revoked bootstrap key is not restored). Absent: none.
   */
  Optional<String> bootstrapAdminKey();

  /**
   * How long a key look-up (found or not) is cached, a duration: authentication costs no query per
   * request, and a revoked or expired key stops working within this bound on every replica (at once
   * on the replica that revoked it).
   */
  @WithDefault("30s")
  Duration keyCacheTtl();

  /** Most key look-ups cached at once, entries: bounds memory under a flood of unknown keys. */
  @WithDefault("10000")
  int keyCacheSize();

  /** Least time between two writes of a key's {@code last_used_at}, a duration (per replica). */
  @WithDefault("60s")
  Duration lastUseInterval();

  /** Request rate limits per key. */
  RateLimit rateLimit();

  /** Concurrent long-running streams (SSE progress, manifests) per key. */
  Streams streams();

  /** Where an OIDC token carries what an API key row holds. */
  Oidc oidc();

  /** Per-key request rates: a token bucket per key, in memory, per coordinator replica. */
  interface RateLimit {
    /** Whether requests are limited at all. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Sustained requests per second of one submitter or analyst key, requests/s (a key row's {@code
     * rate_per_s} overrides it). High enough that a CLI polling progress never meets it.
     */
    @WithDefault("50")
    int perSecond();

    /** Burst: requests a key may send at once after being idle, as seconds of its rate, s. */
    @WithDefault("4")
    int burstSeconds();

    /**
     * Whether admin keys are exempt: the local farm, the demo and the benchmarks run on the admin
     * key and must never be slowed. An admin key with its own {@code rate_per_s} is still limited.
     */
    @WithDefault("true")
    boolean adminExempt();
  }

  /** Long-running answers per key. */
  interface Streams {
    /**
     * Most SSE progress streams and manifest downloads one key may have open at once, streams; one
     * more is a 429. A progress bar needs one; a dashboard a few.
     */
    @WithDefault("8")
    int perKey();
  }

  /** The claims of an OIDC access token that give its role and teams. */
  interface Oidc {
    /** Claim holding the role: {@code submitter}, {@code analyst} or {@code admin}. */
    @WithDefault("turbofarm_role")
    String roleClaim();

    /** Claim holding the caller's own team. */
    @WithDefault("turbofarm_team")
    String teamClaim();

    /** Claim holding further readable teams (an analyst's): a list, or names split by commas. */
    @WithDefault("turbofarm_teams")
    String teamsClaim();

    /** Claim naming the holder in the audit trail; the subject when absent. */
    @WithDefault("preferred_username")
    String nameClaim();
  }
}
