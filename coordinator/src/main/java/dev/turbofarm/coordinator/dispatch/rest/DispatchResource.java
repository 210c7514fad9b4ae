package dev.turbofarm.coordinator.dispatch.rest;

import dev.turbofarm.coordinator.dispatch.service.DispatchService;
import dev.turbofarm.coordinator.dispatch.service.DispatchState;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;

/**
 * {@code /api/v1/admin/dispatch}: the queue at a glance, and pause/resume of dispatch for the whole
 * farm (maintenance, a bad model rollout). Paused, jobs are still accepted and wait QUEUED; workers
 * finish what they hold.
 */
@Path("/api/v1/admin/dispatch")
@Produces(MediaType.APPLICATION_JSON)
public class DispatchResource {
  private final DispatchService dispatch;

  DispatchResource(DispatchService dispatch) {
    this.dispatch = dispatch;
  }

  /**
   * Dispatch state and queue depth; {@code window} is the most bulk jobs in flight now, from the
   * ready workers' batches.
   */
  public record DispatchStateView(
      boolean paused,
      OffsetDateTime pausedAt,
      String reason,
      long queued,
      long dispatched,
      int window) {
    static DispatchStateView of(DispatchState s) {
      return new DispatchStateView(
          s.paused(), s.pausedAt(), s.reason(), s.queued(), s.dispatched(), s.window());
    }
  }

  /** Why dispatch is paused, for the next admin who looks. */
  public record PauseRequest(String reason) {}

  @GET
  public DispatchStateView state() {
    return DispatchStateView.of(dispatch.state());
  }

  @POST
  @Path("/pause")
  @Consumes(MediaType.WILDCARD)
  public DispatchStateView pause(PauseRequest request) {
    String reason =
        request == null || request.reason() == null || request.reason().isBlank()
            ? "paused by an admin"
            : request.reason();
    return DispatchStateView.of(dispatch.pause(reason));
  }

  @POST
  @Path("/resume")
  @Consumes(MediaType.WILDCARD)
  public DispatchStateView resume() {
    return DispatchStateView.of(dispatch.resume());
  }
}
