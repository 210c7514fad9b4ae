package dev.turbofarm.coordinator.console.rest;

import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.ConsoleSessions;
import dev.turbofarm.coordinator.security.service.Roles;
import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;

/**
 * What every console page shares: the signed-in caller (or a redirect to the sign-in page), the
 * session's CSRF token for the page's forms and htmx requests, the navigation the caller's role may
 * see, and rendering a Qute template.
 */
@RequestScoped
class ConsolePages {
  static final URI SIGN_IN = URI.create("/console/sign-in");

  private final Engine engine;
  private final CallerContext callers;
  private final ConsoleSessions sessions;

  ConsolePages(Engine engine, CallerContext callers, ConsoleSessions sessions) {
    this.engine = engine;
    this.callers = callers;
    this.sessions = sessions;
  }

  /** The signed-in caller, or null: a page then answers {@link #signIn()}. */
  Caller caller() {
    return callers.callerOrNull();
  }

  /** To the sign-in page. */
  static Response signIn() {
    return Response.seeOther(SIGN_IN).build();
  }

  /** A page the caller's role may not see: 403 with a page that says so. */
  Response forbidden(Caller c, String sessionId, String what) {
    return Response.status(403)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(
            page("console/forbidden", c, sessionId, "Not for this key").data("what", what).render())
        .build();
  }

  /** A full page: {@code template} inside the layout, with the caller, CSRF token and nav. */
  TemplateInstance page(String template, Caller c, String sessionId, String title) {
    return engine
        .getTemplate(template)
        .instance()
        .data("title", title)
        .data("me", c)
        .data("csrf", sessionId == null ? "" : sessions.csrfOf(sessionId).orElse(""))
        .data("canSubmit", c != null && (c.isAdmin() || Roles.SUBMITTER.equals(c.role())))
        .data("isAdmin", c != null && c.isAdmin())
        .data("isAnalyst", c != null && (c.isAdmin() || Roles.ANALYST.equals(c.role())));
  }

  /** A fragment for htmx to swap in. */
  TemplateInstance fragment(String template, Map<String, Object> data) {
    TemplateInstance t = engine.getTemplate(template).instance();
    data.forEach(t::data);
    return t;
  }

  /** A fragment rendered to a string (server-sent events carry text). */
  String render(String template, Map<String, Object> data) {
    return fragment(template, data).render();
  }

  /** An HTML 200 of a page or fragment. */
  static Response ok(TemplateInstance t) {
    return Response.ok(t.render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
  }

  static boolean canSubmit(Caller c) {
    return c.isAdmin() || Roles.SUBMITTER.equals(c.role());
  }

  static boolean isAnalyst(Caller c) {
    return c.isAdmin() || Roles.ANALYST.equals(c.role());
  }
}
