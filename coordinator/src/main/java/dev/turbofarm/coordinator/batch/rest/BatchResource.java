package dev.turbofarm.coordinator.batch.rest;

import dev.turbofarm.coordinator.batch.service.BatchCancellation;
import dev.turbofarm.coordinator.batch.service.BatchIntake;
import dev.turbofarm.coordinator.batch.service.BatchOptions;
import dev.turbofarm.coordinator.batch.service.BatchProgress;
import dev.turbofarm.coordinator.batch.service.CatalogueReader;
import dev.turbofarm.coordinator.batch.service.Manifest;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.idempotency.service.Idempotency;
import dev.turbofarm.coordinator.image.service.ImageUrls;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.RequestLimits;
import dev.turbofarm.coordinator.security.service.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Bulk catalogues: {@code POST /api/v1/batches} (CSV, JSON Lines, a JSON array, or a multipart
 * upload), progress, server-sent progress events, cancel and the manifest.
 */
@Path("/api/v1/batches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "batches")
public class BatchResource {
  static final String CSV = "text/csv";
  static final String NDJSON = "application/x-ndjson";

  /** Interval between progress events, s: a progress bar needs no more. */
  private static final Duration EVENT_INTERVAL = Duration.ofSeconds(1);

  private final BatchIntake intake;
  private final BatchProgress progress;
  private final BatchCancellation cancellation;
  private final Manifest manifest;
  private final CallerContext callers;
  private final RequestLimits limits;
  private final ImageUrls urls;

  BatchResource(
      BatchIntake intake,
      BatchProgress progress,
      BatchCancellation cancellation,
      Manifest manifest,
      CallerContext callers,
      RequestLimits limits,
      ImageUrls urls) {
    this.urls = urls;
    this.intake = intake;
    this.progress = progress;
    this.cancellation = cancellation;
    this.manifest = manifest;
    this.callers = callers;
    this.limits = limits;
  }

  /** Accepts a catalogue sent as the body: 202 once every accepted job is durable. */
  @POST
  @Consumes({CSV, NDJSON, "application/jsonl", MediaType.APPLICATION_JSON})
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  @Operation(
      summary = "Submit a catalogue",
      description =
          "CSV, JSON Lines or a JSON array of rows. 202 once every accepted job is durable. The"
              + " batch belongs to the credential's team; a 'team' parameter naming another team is"
              + " a 403 (admins may name any). With an Idempotency-Key header, a retry with the"
              + " same catalogue and settings answers the first batch (Idempotent-Replayed: true)"
              + " and another request with the key is a 422.")
  public Response submit(
      InputStream body,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @QueryParam("mode") String mode,
      @QueryParam("team") String team,
      @QueryParam("name") String name,
      @QueryParam("profile") String profile,
      @QueryParam("count") String count,
      @QueryParam("seed") String seed,
      @QueryParam("negativePrompt") String negativePrompt,
      @QueryParam("template") String template,
      @QueryParam("webhook") String webhook,
      @QueryParam("model") String model,
      @QueryParam("steps") String steps,
      @Context UriInfo uri) {
    return accepted(
        intake.submit(
            body,
            format(contentType),
            new BatchOptions(
                mode,
                team,
                name,
                profile,
                count,
                seed,
                negativePrompt,
                template,
                webhook,
                model,
                steps),
            callers.caller(),
            idempotencyKey),
        uri);
  }

  /**
   * Accepts a catalogue uploaded as the {@code file} part of a form; the other parts (or query
   * parameters) are the batch-level settings. The file's format follows its name: {@code .jsonl},
   * {@code .json}, else CSV.
   */
  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  @Operation(
      summary = "Upload a catalogue as a form",
      description =
          "The catalogue is the 'file' part; the other parts are the batch settings. An"
              + " Idempotency-Key header works as on the plain upload.")
  public Response upload(
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @RestForm("file") FileUpload file,
      @RestForm("mode") String formMode,
      @RestForm("team") String formTeam,
      @RestForm("name") String formName,
      @RestForm("profile") String formProfile,
      @RestForm("count") String formCount,
      @RestForm("seed") String formSeed,
      @RestForm("negativePrompt") String formNegative,
      @RestForm("template") String formTemplate,
      @RestForm("webhook") String formWebhook,
      @RestForm("model") String formModel,
      @RestForm("steps") String formSteps,
      @QueryParam("mode") String mode,
      @QueryParam("team") String team,
      @QueryParam("name") String name,
      @QueryParam("profile") String profile,
      @QueryParam("count") String count,
      @QueryParam("seed") String seed,
      @QueryParam("negativePrompt") String negativePrompt,
      @QueryParam("template") String template,
      @QueryParam("webhook") String webhook,
      @QueryParam("model") String model,
      @QueryParam("steps") String steps,
      @Context UriInfo uri) {
    if (file == null) {
      throw InvalidInputProblem.of(
          "file", "a multipart upload needs the catalogue as a part named 'file'");
    }
    BatchOptions options =
        new BatchOptions(
            or(formMode, mode),
            or(formTeam, team),
            or(formName, name),
            or(formProfile, profile),
            or(formCount, count),
            or(formSeed, seed),
            or(formNegative, negativePrompt),
            or(formTemplate, template),
            or(formWebhook, webhook),
            or(formModel, model),
            or(formSteps, steps));
    CatalogueReader.Format format = CatalogueReader.Format.ofFileName(file.fileName());
    try (InputStream in = Files.newInputStream(file.uploadedFile())) {
      return accepted(intake.submit(in, format, options, callers.caller(), idempotencyKey), uri);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  @Operation(
      summary = "A batch's progress",
      description = "Jobs per state, images done, images/s, ETA. Another team's batch is a 404.")
  public BatchView get(@PathParam("id") UUID id) {
    return BatchView.of(progress.of(id, callers.caller()));
  }

  /** Progress as server-sent events, one a second, ending after the event that says done. */
  @GET
  @Path("/{id}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @Blocking
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  @Operation(
      summary = "A batch's progress as server-sent events",
      description =
          "One event a second until the batch is done. Counts against the key's concurrent"
              + " streams (turbofarm.security.streams.per-key; 429 past it).")
  public Multi<BatchView> events(@PathParam("id") UUID id) {
    Caller caller = callers.caller();
    progress.requireReadable(id, caller); // a 404 now rather than an empty stream
    RequestLimits.Stream stream = limits.openStream(caller);
    AtomicBoolean ended = new AtomicBoolean();
    return Multi.createFrom()
        .ticks()
        .startingAfter(Duration.ofMillis(1))
        .every(EVENT_INTERVAL)
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(tick -> BatchView.of(progress.of(id)))
        // Emits items while the previous one was not done: the done event itself goes out.
        .select()
        .first(view -> !ended.getAndSet(view.done()))
        // Done, failed or the client went away: the key gets its stream back.
        .onTermination()
        .invoke(stream::close);
  }

  /** Cancels the batch: queued jobs never render, dispatched ones finish. */
  @POST
  @Path("/{id}/cancel")
  @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
  @Operation(
      summary = "Cancel a batch",
      description =
          "Queued jobs never render; dispatched ones finish. Recorded in the audit trail. Another"
              + " team's batch is a 404.")
  public BatchView cancel(@PathParam("id") UUID id) {
    Caller caller = callers.caller();
    cancellation.cancel(id, caller);
    return BatchView.of(progress.of(id, caller));
  }

  /**
   * The manifest as CSV (default) or JSON Lines ({@code ?format=jsonl} or that Accept type); {@code
   * ?verdict=approved} exports only the approved images ({@code rejected}, {@code unreviewed} too).
   */
  @GET
  @Path("/{id}/manifest")
  @Produces({CSV, NDJSON})
  @RolesAllowed({Roles.SUBMITTER, Roles.ANALYST, Roles.ADMIN})
  @Operation(
      summary = "A batch's manifest",
      description =
          "One line per requested image: CSV (default) or JSON Lines (format=jsonl). Counts"
              + " against the key's concurrent streams. Another team's batch is a 404.")
  public Response manifest(
      @PathParam("id") UUID id,
      @QueryParam("format") String format,
      @QueryParam("verdict") String verdict,
      @HeaderParam(HttpHeaders.ACCEPT) String accept,
      @Context UriInfo uri) {
    String selection = verdict == null || verdict.isBlank() ? "all" : verdict.trim();
    if (!Manifest.VERDICT_FILTERS.contains(selection)) {
      throw InvalidInputProblem.of(
          "verdict",
          "is '" + verdict + "'; must be one of " + String.join(", ", Manifest.VERDICT_FILTERS));
    }
    boolean jsonl =
        format != null
            ? format.equalsIgnoreCase("jsonl") || format.equalsIgnoreCase("ndjson")
            : accept != null && accept.contains(NDJSON) && !accept.contains(CSV);
    if (format != null && !jsonl && !format.equalsIgnoreCase("csv")) {
      throw InvalidInputProblem.of("format", "is '" + format + "'; must be csv or jsonl");
    }
    Caller caller = callers.caller();
    manifest.requireBatch(id, caller);
    java.net.URI base = urls.base(uri.getBaseUri());
    RequestLimits.Stream stream = limits.openStream(caller);
    StreamingOutput out =
        os -> {
          try (stream) {
            manifest.write(id, !jsonl, selection, base, os);
          }
        };
    return Response.ok(out, jsonl ? NDJSON : CSV + ";charset=utf-8")
        .header(
            "Content-Disposition",
            "attachment; filename=\"batch-" + id + "-manifest." + (jsonl ? "jsonl" : "csv") + "\"")
        .build();
  }

  /** The catalogue's format from the body's media type; anything else is a 415 saying so. */
  private static CatalogueReader.Format format(String contentType) {
    CatalogueReader.Format f = CatalogueReader.Format.of(contentType);
    if (f == null) {
      throw new NotSupportedException(
          "a catalogue is text/csv, application/x-ndjson, application/json or multipart/form-data;"
              + " not "
              + contentType);
    }
    return f;
  }

  private static Response accepted(BatchIntake.Submitted s, UriInfo uri) {
    BatchAccepted a = BatchAccepted.of(s.intake());
    Response.ResponseBuilder answer =
        Response.accepted(a)
            .location(
                uri.getBaseUriBuilder().path("api/v1/batches").path(a.id().toString()).build());
    return s.replayed() ? answer.header("Idempotent-Replayed", "true").build() : answer.build();
  }

  private static String or(String first, String second) {
    return first != null ? first : second;
  }
}
