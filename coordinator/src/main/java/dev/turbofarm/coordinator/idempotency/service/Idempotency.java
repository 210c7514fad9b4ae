package dev.turbofarm.coordinator.idempotency.service;

import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.idempotency.persistence.IdempotencyRepository;
import dev.turbofarm.coordinator.idempotency.persistence.IdempotencyRepository.Stored;
import dev.turbofarm.coordinator.security.service.Caller;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@code Idempotency-Key} handling (docs/operations.md): a client that retries a POST with the same
 * key gets the first answer instead of a second resource ({@code POST /api/v1/jobs} and {@code
 * /batches}). The key is claimed in the transaction that creates the resource, so two concurrent
 * requests with one key create one resource: the second waits on the key's row and then replays. A
 * failed first request (4xx) rolls its claim back with it, so a corrected retry may reuse the key.
 */
@ApplicationScoped
public class Idempotency {
  private static final Logger LOG = Logger.getLogger(Idempotency.class);

  /** The request header. */
  public static final String HEADER = "Idempotency-Key";

  /** How long a key is remembered. */
  public static final Duration LIFETIME = Duration.ofHours(24);

  /** Longest key, characters. */
  static final int MAX_KEY_CHARS = 255;

  private final IdempotencyRepository keys;

  Idempotency(IdempotencyRepository keys) {
    this.keys = keys;
  }

  /**
   * The outcome of a request with a key.
   *
   * @param id the resource the first request created
   * @param replayed whether this request only replays the first answer
   * @param answer the first request's answer as {@link Created} gave it (null where none is kept)
   */
  public record Outcome(UUID id, boolean replayed, String answer) {}

  /**
   * What a first request created.
   *
   * @param id the new resource
   * @param answer the answer to keep for replays (a batch's JSON: its counts and rejected rows are
   *     in no table); null when a replay reads the resource's current state instead
   */
  public record Created(UUID id, String answer) {}

  /** The scope of a caller's keys: its team, or an admin without a team its credential. */
  static String scope(Caller caller) {
    return caller.team() != null ? "team:" + caller.team() : "key:" + caller.id();
  }

  /** SHA-256 of a canonical form of the request, lower-case hex. */
  public static String hash(String canonical) {
    return HexFormat.of().formatHex(digest().digest(canonical.getBytes(StandardCharsets.UTF_8)));
  }

  /** A fresh SHA-256 digest, for a request body hashed while it is read (a catalogue). */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Runs {@code create} once per key: the first request with the key creates, a retry with the same
   * request replays its id, another request with the key is a 422.
   *
   * @param key the header's value; null or empty runs {@code create} without idempotency
   * @param kind what is created ({@code job}), so a key cannot replay another kind
   * @param requestHash {@link #hash} of the request
   * @throws InvalidInputProblem for a malformed key (400)
   * @throws IdempotencyKeyReusedException for a key first used with another request (422)
   */
  @Transactional
  public Outcome once(
      String key, Caller caller, String kind, String requestHash, Supplier<UUID> create) {
    return remember(key, caller, kind, requestHash, () -> new Created(create.get(), null));
  }

  /**
   * As {@link #once}, and keeps the first request's answer ({@link Created#answer}) for its
   * replays. Runs in the caller's transaction when there is one (a catalogue's, with its longer
   * timeout), so the key and what it created commit or roll back together.
   */
  @Transactional
  public Outcome remember(
      String key, Caller caller, String kind, String requestHash, Supplier<Created> create) {
    if (key == null || key.isEmpty()) {
      Created c = create.get();
      return new Outcome(c.id(), false, c.answer());
    }
    if (key.length() > MAX_KEY_CHARS || !key.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
      throw InvalidInputProblem.of(
          HEADER, "must be 1 to " + MAX_KEY_CHARS + " visible ASCII characters");
    }
    String scope = scope(caller);
    long lifetimeMs = LIFETIME.toMillis();
    if (!keys.claim(scope, key, kind, requestHash)) {
      Optional<Stored> stored = keys.find(scope, key, lifetimeMs);
      if (stored.isPresent() && stored.get().expired()) {
        keys.deleteExpired(scope, key, lifetimeMs);
        stored = Optional.empty();
      }
      if (stored.isPresent()) {
        Stored s = stored.get();
        if (!s.kind().equals(kind) || !s.requestHash().equals(requestHash)) {
          throw new IdempotencyKeyReusedException(key, s.kind());
        }
        return new Outcome(s.resourceId(), true, s.answer());
      }
      if (!keys.claim(scope, key, kind, requestHash)) {
        // Claimed again between the two statements by a request that has not committed: ask for
        // a retry rather than guess.
        throw new IdempotencyKeyReusedException(key, kind);
      }
    }
    Created c = create.get();
    keys.complete(scope, key, c.id(), c.answer());
    return new Outcome(c.id(), false, c.answer());
  }

  /** Forgets expired keys. */
  @Scheduled(
      identity = "turbofarm-idempotency-purge",
      every = "1h",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void purge() {
    try {
      int n = keys.purge(LIFETIME.toMillis());
      if (n > 0) {
        LOG.debugf("forgot %d idempotency keys older than %s", n, LIFETIME);
      }
    } catch (RuntimeException e) {
      LOG.warnf(
          "purging expired idempotency keys failed (%s); the next hour retries", e.getMessage());
    }
  }
}
