package dev.turbofarm.coordinator.security.rest;

import dev.turbofarm.common.security.ApiKeySecrets;
import dev.turbofarm.coordinator.security.service.ConsoleSessions;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer tf_...}. A bearer token without the {@code tf_} prefix is left
 * to the next mechanism (OIDC, when a site turns it on), so keys and tokens share the header.
 *
 * <p>Without an Authorization header, the web console's session cookie stands for the key it was
 * opened with: on every console request ({@code /console/...}, whose state-changing requests check
 * a CSRF token), and elsewhere on GET and HEAD only, so {@code <img>} tags, the SSE progress stream
 * and download links work from the console while the API's writes still need the header.
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {
  private static final String BEARER = "bearer ";

  /** Ahead of OIDC's bearer mechanism, so a {@code tf_} key is never parsed as a JWT. */
  private static final int PRIORITY = 2000;

  private final ConsoleSessions sessions;

  ApiKeyMechanism(ConsoleSessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
    String key = header == null ? sessionKey(context) : apiKey(header);
    if (key == null) {
      return Uni.createFrom().optional(java.util.Optional.empty());
    }
    return identityProviderManager.authenticate(
        HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(key), context));
  }

  /** The key behind the console's session cookie, where the cookie counts; else null. */
  private String sessionKey(RoutingContext context) {
    Cookie cookie = context.request().getCookie(ConsoleSessions.COOKIE);
    if (cookie == null) {
      return null;
    }
    HttpMethod method = context.request().method();
    boolean console = context.normalizedPath().startsWith("/console/");
    if (!console && method != HttpMethod.GET && method != HttpMethod.HEAD) {
      return null;
    }
    return sessions.keyOf(cookie.getValue()).orElse(null);
  }

  /** The key in an Authorization header, or null when it holds none. */
  static String apiKey(String header) {
    if (header == null
        || header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = header.substring(BEARER.length()).strip();
    return ApiKeySecrets.isApiKey(token) ? token : null;
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(ApiKeyRequest.class);
  }

  @Override
  public int getPriority() {
    return PRIORITY;
  }
}
