package dev.turbofarm.coordinator.console.rest;

import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.messaging.WorkerCommand;
import dev.turbofarm.coordinator.deadletter.service.DeadLetterService;
import dev.turbofarm.coordinator.dispatch.service.DispatchService;
import dev.turbofarm.coordinator.error.NotFoundProblem;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.ConsoleSessions;
import dev.turbofarm.coordinator.worker.service.WorkerControl;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The console's admin and analyst pages: <i>Workers</i> (each worker's state, model, batch,
 * images/s, memory, heartbeat age; cordon, drain, uncordon and release; dispatch pause/resume with
 * a reason), <i>Dead letters</i> (failed jobs, replay) and <i>History</i> (a Chart.js chart of
 * {@code /api/v1/analytics/summary}, read by the browser with the session cookie, and the CSV
 * export link).
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleAdminResource {
  /** Dead letters on the page: the most recent; the API pages further. */
  static final int DEAD_LETTERS = 100;

  /** Longest reason for a worker command, characters (as the admin API). */
  static final int MAX_REASON_CHARS = 500;

  private final ConsolePages pages;
  private final WorkerRegistry workers;
  private final DispatchService dispatch;
  private final DeadLetterService deadLetters;
  private final WorkerControl control;

  ConsoleAdminResource(
      ConsolePages pages,
      WorkerRegistry workers,
      DispatchService dispatch,
      DeadLetterService deadLetters,
      WorkerControl control) {
    this.pages = pages;
    this.workers = workers;
    this.dispatch = dispatch;
    this.deadLetters = deadLetters;
    this.control = control;
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
    return ConsolePages.ok(
        pages
            .page("console/workers", c, sid, "Workers")
            .data("workers", workers.all().stream().map(w -> WorkerRow.of(w, now)).toList())
            .data("dispatch", dispatch.state()));
  }

  /**
   * A worker's row on the Workers page.
   *
   * @param age seconds since its latest heartbeat
   * @param control the admin command in force (CORDONED, DRAINING, QUARANTINED), null for none
   * @param pending whether the worker's heartbeats do not yet report {@code control} as applied
   */
  @io.quarkus.qute.TemplateData
  public record WorkerRow(WorkerRegistry.Worker w, long age, String control, boolean pending) {
    static WorkerRow of(WorkerRegistry.Worker w, OffsetDateTime now) {
      String control = WorkerCommand.APPLIED.contains(w.state()) ? w.state() : null;
      return new WorkerRow(
          w,
          Duration.between(w.lastSeen(), now).toSeconds(),
          control,
          !Objects.equals(control, w.controlApplied()));
    }
  }

  /** The row alone: htmx polls it until the worker applies a command. */
  @GET
  @Path("/workers/{id}/row")
  @PermitAll
  @Operation(hidden = true)
  public Response workerRow(@PathParam("id") String id) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    if (!c.isAdmin()) {
      return Response.status(403).entity("the workers page needs an admin key").build();
    }
    return row(id, null);
  }

  /**
   * Cordon, drain, uncordon or release a worker (docs/adr/0017-worker-control.md), as {@code POST
   * /api/v1/admin/workers/{id}/...} does, audited the same; answers the worker's new row, which
   * polls until the worker's heartbeat says it applied the command.
   */
  @POST
  @Path("/workers/{id}/{action: cordon|drain|uncordon|release}")
  @PermitAll
  @Operation(hidden = true)
  public Response control(
      @PathParam("id") String id, @PathParam("action") String action, @RestForm String reason) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    if (!c.isAdmin()) {
      return Response.status(403).entity("worker commands need an admin key").build();
    }
    WorkerCommand.Command command =
        switch (action) {
          case "cordon" -> WorkerCommand.Command.CORDON;
          case "drain" -> WorkerCommand.Command.DRAIN;
          default -> WorkerCommand.Command.RUN;
        };
    String why =
        reason == null || reason.isBlank()
            ? (action.equals("release") ? "released" : action + "ed") + " from the console"
            : reason.strip();
    String problem = JobRules.textProblem(why, false);
    if (problem != null || why.length() > MAX_REASON_CHARS) {
      return row(
          id,
          "reason: " + (problem != null ? problem : "longer than " + MAX_REASON_CHARS + " chars"));
    }
    try {
      control.command(id, command, why, c);
    } catch (RuntimeException e) {
      List<String> problems = ConsoleProblems.of(e);
      if (problems == null) {
        throw e;
      }
      return row(id, String.join("; ", problems));
    }
    return row(id, null);
  }

  private Response row(String id, String problem) {
    WorkerRegistry.Worker w =
        workers.all().stream()
            .filter(x -> x.id().equals(id))
            .findFirst()
            .orElseThrow(
                () -> new NotFoundProblem("no worker '" + id + "' has been seen by this farm"));
    Map<String, Object> data = new HashMap<>();
    data.put("r", WorkerRow.of(w, OffsetDateTime.now()));
    data.put("problem", problem);
    return ConsolePages.ok(pages.fragment("console/worker-row", data));
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
