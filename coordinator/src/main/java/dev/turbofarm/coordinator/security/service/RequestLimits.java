package dev.turbofarm.coordinator.security.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.turbofarm.coordinator.config.SecurityConfig;
import dev.turbofarm.coordinator.error.RateLimitedProblem;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-key limits: a request rate (a Bucket4j token bucket per key) and a cap on concurrent streams
 * (SSE progress, manifests). Both live in this replica's memory: with N replicas behind a load
 * balancer a key may send up to N times its rate, which is acceptable for a guard against runaway
 * clients (docs/security.md).
 */
@ApplicationScoped
public class RequestLimits {
  /** A key idle this long forgets its bucket (a full one is the same as a new one), min. */
  private static final Duration IDLE_FORGET = Duration.ofMinutes(10);

  private final SecurityConfig config;
  private final Cache<String, Bucket> buckets;

  /** Key id -> its open streams; one small counter per key that ever streamed. */
  private final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();

  RequestLimits(SecurityConfig config) {
    this.config = config;
    this.buckets = Caffeine.newBuilder().expireAfterAccess(IDLE_FORGET).build();
  }

  /**
   * Takes one request from the caller's bucket.
   *
   * @throws RateLimitedProblem (429, {@code Retry-After}) when the bucket is empty
   */
  public void checkRate(Caller caller) {
    SecurityConfig.RateLimit c = config.rateLimit();
    if (!c.enabled() || caller.isAdmin() && c.adminExempt() && caller.rateLimit() == null) {
      return;
    }
    int rate = caller.rateLimit() != null ? caller.rateLimit() : c.perSecond();
    Bucket bucket = buckets.get(caller.id() + "@" + rate, k -> bucket(rate, c.burstSeconds()));
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long waitS =
          (long) Math.ceil(probe.getNanosToWaitForRefill() / (double) TimeUnit.SECONDS.toNanos(1));
      throw new RateLimitedProblem(
          "this key may send "
              + rate
              + " requests/s (bursts of "
              + rate * Math.max(1, c.burstSeconds())
              + "); retry after "
              + Math.max(1, waitS)
              + " s",
          waitS);
    }
  }

  private static Bucket bucket(int rate, int burstSeconds) {
    long capacity = (long) rate * Math.max(1, burstSeconds);
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(capacity)
                .refillGreedy(rate, Duration.ofSeconds(1))
                .build())
        .build();
  }

  /** An open stream; {@link #close} gives its place back (once, however often it is called). */
  public interface Stream extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Opens a stream for the caller.
   *
   * @throws RateLimitedProblem (429) when the key already holds {@code streams.per-key} streams
   */
  public Stream openStream(Caller caller) {
    int max = config.streams().perKey();
    AtomicInteger open = streams.computeIfAbsent(caller.id(), k -> new AtomicInteger());
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      throw new RateLimitedProblem(
          "this key already has "
              + max
              + " progress streams or manifest downloads open; close one (or wait for it to"
              + " end) and retry",
          5);
    }
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        open.decrementAndGet();
      }
    };
  }
}
