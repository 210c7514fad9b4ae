package dev.turbofarm.coordinator.console.rest;

import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.ConsoleSessions;
import io.quarkus.qute.Engine;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Signing in to the console with an API key, and out. The key is checked and exchanged for an
 * HttpOnly, SameSite=Strict session cookie (see {@link ConsoleSessions}); the form's own CSRF token
 * is a double-submit cookie, since no session exists yet.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleSignInResource {
  /** The sign-in form's double-submit cookie. */
  static final String SIGN_IN_COOKIE = "tf_sign_in";

  private final ConsolePages pages;
  private final ConsoleSessions sessions;
  private final Engine engine;

  ConsoleSignInResource(ConsolePages pages, ConsoleSessions sessions, Engine engine) {
    this.pages = pages;
    this.sessions = sessions;
    this.engine = engine;
  }

  @GET
  @PermitAll
  @Operation(hidden = true)
  public Response home(@CookieParam(ConsoleSessions.COOKIE) String sid) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    String start = ConsolePages.canSubmit(c) ? "/console/jobs/new" : "/console/batches";
    return Response.seeOther(URI.create(start)).build();
  }

  @GET
  @Path("/sign-in")
  @PermitAll
  @Operation(hidden = true)
  public Response form(@Context UriInfo uri) {
    return signInPage(uri, null, 200);
  }

  @POST
  @Path("/sign-in")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @PermitAll
  @Operation(hidden = true)
  public Response signIn(
      @RestForm("apiKey") String apiKey,
      @RestForm("_csrf") String csrf,
      @CookieParam(SIGN_IN_COOKIE) String csrfCookie,
      @Context UriInfo uri) {
    if (csrf == null || csrfCookie == null || !ConsoleCsrfFilter.same(csrf, csrfCookie)) {
      return signInPage(uri, "The form expired: please sign in again.", 403);
    }
    return sessions
        .open(apiKey)
        .map(
            s ->
                Response.seeOther(URI.create("/console"))
                    .cookie(sessionCookie(s.id(), uri, -1))
                    .cookie(signInCookie("", uri, 0))
                    .build())
        .orElseGet(
            () -> signInPage(uri, "That key was not accepted: unknown, revoked or expired.", 401));
  }

  @POST
  @Path("/sign-out")
  @PermitAll
  @Operation(hidden = true)
  public Response signOut(@CookieParam(ConsoleSessions.COOKIE) String sid, @Context UriInfo uri) {
    sessions.close(sid);
    return Response.ok()
        .header("HX-Redirect", "/console/sign-in")
        .cookie(sessionCookie("", uri, 0))
        .build();
  }

  private Response signInPage(UriInfo uri, String error, int status) {
    String token = ConsoleSessions.token();
    String html =
        engine
            .getTemplate("console/sign-in")
            .data("title", "Sign in")
            .data("csrf", token)
            .data("error", error)
            .data("me", null)
            .data("canSubmit", false)
            .data("isAdmin", false)
            .data("isAnalyst", false)
            .render();
    return Response.status(status)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(html)
        .cookie(signInCookie(token, uri, -1))
        .build();
  }

  private static NewCookie sessionCookie(String value, UriInfo uri, int maxAge) {
    return new NewCookie.Builder(ConsoleSessions.COOKIE)
        .value(value)
        // Path=/: image and thumbnail URLs (/api/v1/...) take it on GET, so <img> tags work.
        .path("/")
        .httpOnly(true)
        .sameSite(NewCookie.SameSite.STRICT)
        .secure("https".equals(uri.getBaseUri().getScheme()))
        .maxAge(maxAge)
        .build();
  }

  private static NewCookie signInCookie(String value, UriInfo uri, int maxAge) {
    return new NewCookie.Builder(SIGN_IN_COOKIE)
        .value(value)
        .path("/console/sign-in")
        .httpOnly(true)
        .sameSite(NewCookie.SameSite.STRICT)
        .secure("https".equals(uri.getBaseUri().getScheme()))
        .maxAge(maxAge)
        .build();
  }
}
