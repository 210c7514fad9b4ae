package dev.turbofarm.coordinator.deadletter.rest;

import dev.turbofarm.common.job.JobState;
import dev.turbofarm.common.messaging.Topics;
import dev.turbofarm.coordinator.deadletter.service.DeadLetterService;
import dev.turbofarm.coordinator.deadletter.service.DeadRecords;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
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

/**
 * {@code /api/v1/admin/dead-letters}: failed jobs (replayable), or with {@code ?source=topics} the
 * Kafka records a consumer refused and dead-lettered.
 */
@Path("/api/v1/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
  /** Most dead letters one call lists. */
  private static final int MAX_LIMIT = 1000;

  /** Dead letters listed when the call names no limit. */
  private static final int DEFAULT_LIMIT = 100;

  private final DeadLetterService service;
  private final DeadRecords records;

  DeadLetterResource(DeadLetterService service, DeadRecords records) {
    this.service = service;
    this.records = records;
  }

  /**
   * The most recent dead letters first: {@code source=jobs} (the default) FAILED jobs, {@code
   * source=topics} dead-lettered records ({@code topic} narrows them to one source topic).
   */
  @GET
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
  public Response replay(@PathParam("jobId") UUID jobId) {
    service.replay(jobId);
    return Response.accepted(new Replayed(jobId, JobState.QUEUED.name())).build();
  }

  /** The replay's answer. */
  public record Replayed(UUID jobId, String state) {}
}
