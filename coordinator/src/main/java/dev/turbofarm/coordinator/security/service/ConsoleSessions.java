package dev.turbofarm.coordinator.security.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's sign-in sessions: a random session id (the HttpOnly cookie's value) mapped, in
 * this coordinator's memory, to the API key it was opened with and the session's CSRF token. The
 * key never reaches the browser after the sign-in form, and every request re-checks it through
 * {@link ApiKeys#authenticate}, so a revoked or expired key ends its sessions too. In memory: a
 * restart or another replica means signing in again (docs/adr/0016-console-qute-htmx.md).
 */
@ApplicationScoped
public class ConsoleSessions {
  /** The session cookie's name. */
  public static final String COOKIE = "tf_console";

  /** A session unused this long is forgotten, h: a working day. */
  static final Duration IDLE = Duration.ofHours(8);

  /** Most open sessions per coordinator: a bound on memory against sign-in floods. */
  static final int MAX_SESSIONS = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApiKeys keys;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  ConsoleSessions(ApiKeys keys) {
    this.keys = keys;
  }

  private record Session(String key, String csrf, Instant lastUsed) {}

  /**
   * A session just opened.
   *
   * @param id the cookie's value
   * @param csrf the token every state-changing console request must carry
   */
  public record Opened(String id, String csrf, Caller caller) {}

  /**
   * Opens a session for an API key.
   *
   * @return empty when the key is unknown, revoked or expired
   */
  public Optional<Opened> open(String apiKey) {
    String key = apiKey == null ? null : apiKey.strip();
    Optional<Caller> caller = keys.authenticate(key);
    if (caller.isEmpty()) {
      return Optional.empty();
    }
    Instant now = Instant.now();
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.values().removeIf(s -> s.lastUsed().plus(IDLE).isBefore(now));
    }
    if (sessions.size() >= MAX_SESSIONS) {
      return Optional.empty();
    }
    String id = token();
    String csrf = token();
    sessions.put(id, new Session(key, csrf, now));
    return Optional.of(new Opened(id, csrf, caller.get()));
  }

  /** The API key of a live session, touching it; empty for an unknown or idle one. */
  public Optional<String> keyOf(String sessionId) {
    return live(sessionId).map(Session::key);
  }

  /** The CSRF token of a live session. */
  public Optional<String> csrfOf(String sessionId) {
    return live(sessionId).map(Session::csrf);
  }

  /** Ends a session (sign-out). */
  public void close(String sessionId) {
    if (sessionId != null) {
      sessions.remove(sessionId);
    }
  }

  /** A fresh random token: 32 bytes, base64url. */
  public static String token() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private Optional<Session> live(String sessionId) {
    if (sessionId == null || sessionId.isBlank()) {
      return Optional.empty();
    }
    Instant now = Instant.now();
    Session s = sessions.get(sessionId);
    if (s == null) {
      return Optional.empty();
    }
    if (s.lastUsed().plus(IDLE).isBefore(now)) {
      sessions.remove(sessionId);
      return Optional.empty();
    }
    Session touched = new Session(s.key(), s.csrf(), now);
    sessions.replace(sessionId, s, touched);
    return Optional.of(touched);
  }
}
