package dev.turbofarm.coordinator.security.rest;

import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.RequestLimits;
import jakarta.inject.Inject;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Takes each authenticated request from its key's rate (429 with {@code Retry-After} past it).
 * Anonymous requests pass through to their 401.
 */
public class RateLimitFilter {
  @Inject CallerContext callers;
  @Inject RequestLimits limits;

  @ServerRequestFilter
  public void limit() {
    Caller caller = callers.callerOrNull();
    if (caller != null) {
      limits.checkRate(caller);
    }
  }
}
