package dev.turbofarm.coordinator.console.rest;

import dev.turbofarm.coordinator.batch.service.BatchCancellation;
import dev.turbofarm.coordinator.batch.service.BatchIntake;
import dev.turbofarm.coordinator.batch.service.BatchListing;
import dev.turbofarm.coordinator.batch.service.BatchOptions;
import dev.turbofarm.coordinator.batch.service.BatchProgress;
import dev.turbofarm.coordinator.batch.service.BatchRejectedException;
import dev.turbofarm.coordinator.batch.service.CatalogueReader;
import dev.turbofarm.coordinator.batch.service.Progress;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.http.PageCursor;
import dev.turbofarm.coordinator.job.service.Job;
import dev.turbofarm.coordinator.job.service.JobListing;
import dev.turbofarm.coordinator.job.service.JobService;
import dev.turbofarm.coordinator.review.service.Review;
import dev.turbofarm.coordinator.review.service.Reviews;
import dev.turbofarm.coordinator.security.service.Audit;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.ConsoleSessions;
import dev.turbofarm.coordinator.security.service.RequestLimits;
import dev.turbofarm.coordinator.team.service.TeamScope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The console's batch pages: <i>Batches</i> (catalogue upload with its rejected rows, the list with
 * live progress bars over server-sent events, cancel) and the <i>Gallery</i> of a batch (thumbnail
 * grid, keyboard review, verdict filter, the approved manifest and the ZIP).
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleBatchResource {
  /** Interval between progress events, s: a progress bar needs no more. */
  private static final Duration EVENT_INTERVAL = Duration.ofSeconds(1);

  /** Jobs per gallery page: a few screens of thumbnails, one short query per job. */
  static final int GALLERY_JOBS = 48;

  static final Set<String> VERDICT_FILTERS = Set.of("all", "approved", "rejected", "unreviewed");

  private final ConsolePages pages;
  private final BatchListing listing;
  private final BatchIntake intake;
  private final BatchProgress progress;
  private final BatchCancellation cancellation;
  private final JobListing jobList;
  private final JobService jobs;
  private final Reviews reviews;
  private final Audit audit;
  private final RequestLimits limits;

  ConsoleBatchResource(
      ConsolePages pages,
      BatchListing listing,
      BatchIntake intake,
      BatchProgress progress,
      BatchCancellation cancellation,
      JobListing jobList,
      JobService jobs,
      Reviews reviews,
      Audit audit,
      RequestLimits limits) {
    this.pages = pages;
    this.listing = listing;
    this.intake = intake;
    this.progress = progress;
    this.cancellation = cancellation;
    this.jobList = jobList;
    this.jobs = jobs;
    this.reviews = reviews;
    this.audit = audit;
    this.limits = limits;
  }

  @GET
  @Path("/batches")
  @PermitAll
  @Operation(hidden = true)
  public Response batches(
      @QueryParam("after") String after, @CookieParam(ConsoleSessions.COOKIE) String sid) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    return ConsolePages.ok(
        pages
            .page("console/batches", c, sid, "Batches")
            .data("rows", rows(c, after))
            .data("next", next(c, after)));
  }

  /** The list alone, for htmx to refresh after an upload or a cancel. */
  @GET
  @Path("/batches/list")
  @PermitAll
  @Operation(hidden = true)
  public Response list(@QueryParam("after") String after) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    Map<String, Object> data = new HashMap<>();
    data.put("rows", rows(c, after));
    data.put("next", next(c, after));
    data.put("canSubmit", ConsolePages.canSubmit(c));
    return ConsolePages.ok(pages.fragment("console/batch-list", data));
  }

  /** A batch in the list: its summary and live progress. */
  @io.quarkus.qute.TemplateData
  public record Row(BatchListing.Summary batch, Progress progress) {}

  private List<Row> rows(Caller c, String after) {
    BatchListing.Page page = page(c, after);
    List<Row> out = new ArrayList<>();
    for (BatchListing.Summary s : page.batches()) {
      out.add(new Row(s, progress.of(s.id())));
    }
    return out;
  }

  private String next(Caller c, String after) {
    PageCursor n = page(c, after).next();
    return n == null ? null : n.token();
  }

  private BatchListing.Page page(Caller c, String after) {
    return listing.list(
        // Every team the caller may read (an admin: every team), as the Jobs page.
        new BatchListing.Query(
            TeamScope.listedBy(c, "all"),
            Set.of(),
            null,
            null,
            PageCursor.parse("after", after),
            20),
        c);
  }

  @POST
  @Path("/batches")
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @PermitAll
  @Operation(hidden = true)
  public Response upload(
      @RestForm("file") FileUpload file,
      @RestForm("template") String template,
      @RestForm("mode") String mode,
      @RestForm("name") String name) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    Map<String, Object> data = new HashMap<>();
    try {
      if (file == null || file.fileName() == null || file.fileName().isBlank()) {
        throw InvalidInputProblem.of("file", "choose a catalogue file (CSV or JSON Lines)");
      }
      BatchOptions options =
          new BatchOptions(
              blank(mode) ? null : mode,
              null,
              blank(name) ? file.fileName() : name,
              null,
              null,
              null,
              null,
              blank(template) ? null : template,
              null,
              null,
              null);
      try (InputStream in = Files.newInputStream(file.uploadedFile())) {
        data.put(
            "intake",
            intake.submit(in, CatalogueReader.Format.ofFileName(file.fileName()), options, c));
      }
      return Response.ok(pages.render("console/batch-accepted", data), MediaType.TEXT_HTML)
          .header("HX-Trigger", "batches-changed")
          .build();
    } catch (BatchRejectedException e) {
      data.put("rejected", e.rejected());
      data.put("problems", List.of(e.detail()));
      return ConsolePages.ok(pages.fragment("console/batch-accepted", data));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      List<String> problems = ConsoleProblems.of(e);
      if (problems == null) {
        throw e;
      }
      data.put("problems", problems);
      return ConsolePages.ok(pages.fragment("console/batch-accepted", data));
    }
  }

  /**
   * A batch's progress bar as server-sent events: {@code progress} each second, then one {@code
   * done} (the console's {@code sse-close}) when no job is left to render.
   */
  @GET
  @Path("/batches/{id}/progress")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Blocking
  @PermitAll
  @Operation(hidden = true)
  public Multi<OutboundSseEvent> progressEvents(@PathParam("id") UUID id, @Context Sse sse) {
    Caller c = pages.caller();
    if (c == null) {
      throw new dev.turbofarm.coordinator.error.UnauthorizedProblem("sign in to the console first");
    }
    progress.requireReadable(id, c);
    RequestLimits.Stream stream = limits.openStream(c);
    AtomicBoolean ended = new AtomicBoolean();
    return Multi.createFrom()
        .ticks()
        .startingAfter(Duration.ofMillis(1))
        .every(EVENT_INTERVAL)
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(tick -> progress.of(id))
        .select()
        .first(p -> !ended.getAndSet(p.done()))
        .map(
            p ->
                sse.newEventBuilder()
                    .name(p.done() ? "done" : "progress")
                    .data(String.class, pages.render("console/progress", Map.of("p", p)))
                    .build())
        .onTermination()
        .invoke(stream::close);
  }

  @POST
  @Path("/batches/{id}/cancel")
  @PermitAll
  @Operation(hidden = true)
  public Response cancel(@PathParam("id") UUID id) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    cancellation.cancel(id, c);
    return ConsolePages.ok(pages.fragment("console/progress", Map.of("p", progress.of(id, c))));
  }

  @GET
  @Path("/batches/{id}")
  @PermitAll
  @Operation(hidden = true)
  public Response gallery(
      @PathParam("id") UUID id,
      @QueryParam("verdict") String verdict,
      @QueryParam("after") String after,
      @CookieParam(ConsoleSessions.COOKIE) String sid) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    String filter = verdict == null || verdict.isBlank() ? "all" : verdict.strip();
    if (!VERDICT_FILTERS.contains(filter)) {
      throw InvalidInputProblem.of(
          "verdict", "is '" + verdict + "'; must be one of " + String.join(", ", VERDICT_FILTERS));
    }
    Progress p = progress.of(id, c);
    JobListing.Page page =
        jobList.list(
            new JobListing.Query(
                TeamScope.readableBy(c),
                java.util.Set.of(),
                Set.of(),
                id,
                null,
                null,
                PageCursor.parse("after", after),
                GALLERY_JOBS),
            c);
    List<Tile> tiles = new ArrayList<>();
    for (Job j : page.jobs()) {
      Job full = jobs.get(j.id(), c);
      for (Job.Image i : full.images()) {
        if (keep(filter, i.verdict())) {
          tiles.add(new Tile(full, i));
        }
      }
    }
    return ConsolePages.ok(
        pages
            .page("console/gallery", c, sid, "Gallery of " + (p.name() == null ? id : p.name()))
            .data("p", p)
            .data("tiles", tiles)
            .data("verdict", filter)
            .data("filters", List.of("all", "approved", "rejected", "unreviewed"))
            .data("next", page.next() == null ? null : page.next().token())
            .data("canWrite", c.canWrite(p.team())));
  }

  /** An image in the gallery with its job. */
  @io.quarkus.qute.TemplateData
  public record Tile(Job job, Job.Image image) {}

  private static boolean keep(String filter, String verdict) {
    return switch (filter) {
      case "approved", "rejected" -> filter.equals(verdict);
      case "unreviewed" -> verdict == null;
      default -> true;
    };
  }

  /** A review from the gallery's keys: the tile's new verdict badge. */
  @POST
  @Path("/images/{jobId}/{index}/review")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @PermitAll
  @Operation(hidden = true)
  public Response review(
      @PathParam("jobId") UUID jobId,
      @PathParam("index") int index,
      @RestForm String verdict,
      @RestForm String rating) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    Integer stars = null;
    if (!blank(rating)) {
      try {
        stars = Integer.valueOf(rating.strip());
      } catch (NumberFormatException e) {
        throw InvalidInputProblem.of("rating", "is '" + rating + "'; must be 1..5");
      }
    }
    Review done =
        reviews.review(
            jobId,
            index,
            blank(verdict) ? null : verdict.strip(),
            stars,
            null,
            c.name(),
            TeamScope.writableBy(c));
    audit.record(
        c,
        "image.review",
        "image:" + jobId + "/" + index,
        "verdict=" + done.verdict() + ", rating=" + done.rating() + " (console)");
    Map<String, Object> data = new HashMap<>();
    data.put("verdict", done.verdict());
    data.put("rating", done.rating());
    return ConsolePages.ok(pages.fragment("console/badge", data));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
