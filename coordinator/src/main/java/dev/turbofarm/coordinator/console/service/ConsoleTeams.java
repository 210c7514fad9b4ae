package dev.turbofarm.coordinator.console.service;

import dev.turbofarm.coordinator.console.persistence.ConsoleTeamRepository;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The teams the console's Jobs page links to: those with jobs that the caller may read. */
@ApplicationScoped
public class ConsoleTeams {
  private final ConsoleTeamRepository repository;

  ConsoleTeams(ConsoleTeamRepository repository) {
    this.repository = repository;
  }

  /** Teams with jobs that {@code caller} may read, by name. */
  public List<String> withJobs(Caller caller) {
    TeamScope scope = TeamScope.readableBy(caller);
    return repository.teamsWithJobs().stream().filter(scope::sees).toList();
  }
}
