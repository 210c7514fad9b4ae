package dev.turbofarm.coordinator.deadletter.rest;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.deadletter.service.DeadLetterService;
import dev.turbofarm.coordinator.deadletter.service.DeadRecords;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/admin/dead-letters}: failed jobs (replayable), or with {@code ?source=topics} the
 * Kafka records a consumer refused and dead-lettered.
 */
@Path("/api/v1/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class DeadLetterResource {
  /** Most dead letters one call lists. */
  private static final int MAX_LIMIT = 1000;

  /** Dead letters listed when the call names no limit. */
  private static final int DEFAULT_LIMIT = 100;

  private final DeadLetterService service;
  private final DeadRecords records;
  private final CallerContext callers;

  DeadLetterResource(DeadLetterService service, DeadRecords records, CallerContext callers) {
    this.service = service;
    this.records = records;
    this.callers = callers;
  }

  /**
   * The most recent dead letters first: {@code source=jobs} (the default) FAILED jobs, {@code
   * source=topics} dead-lettered records ({@code topic} narrows them to one source topic).
   */
  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Failed jobs, or dead-lettered Kafka records, most recent first",
      description =
          "source=jobs (default): FAILED jobs with their reasons (replayable). source=topics: records"
              + " a consumer refused (results, heartbeats, and the workers' REJECTed jobs), with"
              + " topic, partition, offset, reason and first bytes; topic narrows them.")
  public Response list(
      @QueryParam("limit") String limit,
      @QueryParam("source") String source,
      @QueryParam("topic") String topic) {
    int n = limit(limit);
    String s = source == null || source.isBlank() ? "jobs" : source.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "jobs" -> {
        if (topic != null) {
          throw InvalidInputProblem.of("topic", "only goes with source=topics");
        }
        yield Response.ok(service.list(n).stream().map(DeadLetterView::of).toList()).build();
      }
      case "topics" -> {
        if (topic != null && !Topics.DEAD_LETTER_TOPICS.contains(Topics.DLQ_PREFIX + topic)) {
          throw InvalidInputProblem.of(
              "topic",
              "is not a topic with dead letters; one of "
                  + Topics.DEAD_LETTER_TOPICS.stream()
                      .map(t -> t.substring(Topics.DLQ_PREFIX.length()))
                      .toList());
        }
        yield Response.ok(records.recent(topic, n).stream().map(DeadRecordView::of).toList())
            .build();
      }
      default ->
          throw InvalidInputProblem.of("source", "is '" + source + "'; must be jobs or topics");
    };
  }

  private static int limit(String limit) {
    if (limit == null || limit.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(limit.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InvalidInputProblem.of(
        "limit", "is '" + limit + "'; must be a whole number 1.." + MAX_LIMIT);
  }

  /** 202: the job is QUEUED again with fresh attempts. */
  @POST
  @Path("/{jobId}/replay")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Replay a failed job",
      description = "Back in the queue with fresh attempts. Recorded in the audit trail.")
  public Response replay(@PathParam("jobId") UUID jobId) {
    service.replay(jobId, callers.caller());
    return Response.accepted(new Replayed(jobId, JobState.QUEUED.name())).build();
  }

  /** The replay's answer. */
  public record Replayed(UUID jobId, String state) {}
}
