package dev.turbofarm.coordinator.console.rest;

import dev.turbofarm.coordinator.security.service.ConsoleSessions;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every state-changing console request (anything but GET and HEAD under {@code /console/}) carries
 * its session's CSRF token in the {@code X-CSRF-Token} header (htmx sends it from the page's {@code
 * hx-headers}), else 403. The sign-in form checks its own token (no session exists yet).
 */
class ConsoleCsrfFilter {
  static final String HEADER = "X-CSRF-Token";

  private final ConsoleSessions sessions;

  ConsoleCsrfFilter(ConsoleSessions sessions) {
    this.sessions = sessions;
  }

  @ServerRequestFilter
  Response check(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String method = request.getMethod();
    if (!path.startsWith("/console/")
        || method.equals("GET")
        || method.equals("HEAD")
        || path.equals("/console/sign-in")) {
      return null;
    }
    Cookie session = request.getCookies().get(ConsoleSessions.COOKIE);
    String expected = session == null ? null : sessions.csrfOf(session.getValue()).orElse(null);
    String sent = request.getHeaderString(HEADER);
    if (expected == null || sent == null || !same(expected, sent)) {
      return Response.status(403)
          .type(MediaType.TEXT_PLAIN_TYPE)
          .entity("CSRF token missing or wrong: reload the page (or sign in again) and retry")
          .build();
    }
    return null;
  }

  /** Constant-time comparison: the token is a secret. */
  static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
