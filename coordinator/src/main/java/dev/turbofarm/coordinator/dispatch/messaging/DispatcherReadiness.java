package dev.turbofarm.coordinator.dispatch.messaging;

import dev.turbofarm.coordinator.config.FarmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the dispatcher has its topics: before that, jobs are accepted but wait. */
@Readiness
@ApplicationScoped
public class DispatcherReadiness implements HealthCheck {
  private final Dispatcher dispatcher;
  private final FarmConfig config;

  DispatcherReadiness(Dispatcher dispatcher, FarmConfig config) {
    this.dispatcher = dispatcher;
    this.config = config;
  }

  @Override
  public HealthCheckResponse call() {
    boolean up = !config.dispatcher().enabled() || dispatcher.ready();
    return HealthCheckResponse.named("dispatcher").status(up).build();
  }
}
