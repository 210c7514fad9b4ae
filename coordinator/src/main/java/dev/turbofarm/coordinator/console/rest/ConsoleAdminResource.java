package dev.turbofarm.coordinator.console.rest;

import dev.turbofarm.coordinator.deadletter.service.DeadLetterService;
import dev.turbofarm.coordinator.dispatch.service.DispatchService;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.ConsoleSessions;
import dev.turbofarm.coordinator.worker.service.WorkerRegistry;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The console's admin and analyst pages: <i>Workers</i> (each worker's state, model, batch,
 * images/s, memory, heartbeat age; dispatch pause/resume with a reason), <i>Dead letters</i>
 * (failed jobs, replay) and <i>History</i> (a Chart.js chart of {@code /api/v1/analytics/summary},
 * read by the browser with the session cookie, and the CSV export link).
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleAdminResource {
  /** Dead letters on the page: the most recent; the API pages further. */
  static final int DEAD_LETTERS = 100;

  private final ConsolePages pages;
  private final WorkerRegistry workers;
  private final DispatchService dispatch;
  private final DeadLetterService deadLetters;

  ConsoleAdminResource(
      ConsolePages pages,
      WorkerRegistry workers,
      DispatchService dispatch,
      DeadLetterService deadLetters) {
    this.pages = pages;
    this.workers = workers;
    this.dispatch = dispatch;
    this.deadLetters = deadLetters;
  }

  @GET
  @Path("/workers")
  @PermitAll
  @Operation(hidden = true)
  public Response workers(@CookieParam(ConsoleSessions.COOKIE) String sid) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    if (!c.isAdmin()) {
      return pages.forbidden(c, sid, "The workers page needs an admin key.");
    }
    OffsetDateTime now = OffsetDateTime.now();
    Map<String, Long> ages = new HashMap<>();
    workers.all().forEach(w -> ages.put(w.id(), Duration.between(w.lastSeen(), now).toSeconds()));
    return ConsolePages.ok(
        pages
            .page("console/workers", c, sid, "Workers")
            .data("workers", workers.all())
            .data("ages", ages)
            .data("dispatch", dispatch.state()));
  }

  @POST
  @Path("/dispatch/{action: pause|resume}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @PermitAll
  @Operation(hidden = true)
  public Response dispatch(@PathParam("action") String action, @RestForm String reason) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    if (!c.isAdmin()) {
      return Response.status(403).entity("pausing dispatch needs an admin key").build();
    }
    if (action.equals("pause")) {
      dispatch.pause(
          reason == null || reason.isBlank() ? "paused from the console" : reason.strip(), c);
    } else {
      dispatch.resume(c);
    }
    Map<String, Object> data = new HashMap<>();
    data.put("dispatch", dispatch.state());
    return ConsolePages.ok(pages.fragment("console/dispatch", data));
  }

  @GET
  @Path("/dead-letters")
  @PermitAll
  @Operation(hidden = true)
  public Response deadLetters(@CookieParam(ConsoleSessions.COOKIE) String sid) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    if (!c.isAdmin()) {
      return pages.forbidden(c, sid, "Dead letters need an admin key.");
    }
    return ConsolePages.ok(
        pages
            .page("console/dead-letters", c, sid, "Dead letters")
            .data("letters", deadLetters.list(DEAD_LETTERS)));
  }

  @POST
  @Path("/dead-letters/{id}/replay")
  @PermitAll
  @Operation(hidden = true)
  public Response replay(@PathParam("id") UUID id) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    if (!c.isAdmin()) {
      return Response.status(403).entity("replay needs an admin key").build();
    }
    deadLetters.replay(id, c);
    return Response.ok("<span class=\"ok\">replayed: queued again</span>", MediaType.TEXT_HTML)
        .build();
  }

  @GET
  @Path("/history")
  @PermitAll
  @Operation(hidden = true)
  public Response history(@CookieParam(ConsoleSessions.COOKIE) String sid) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    if (!ConsolePages.isAnalyst(c)) {
      return pages.forbidden(c, sid, "History needs an analyst or admin key.");
    }
    return ConsolePages.ok(pages.page("console/history", c, sid, "History"));
  }
}
