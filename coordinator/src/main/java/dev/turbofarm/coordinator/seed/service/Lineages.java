package dev.turbofarm.coordinator.seed.service;

import dev.turbofarm.coordinator.error.NotFoundProblem;
import dev.turbofarm.coordinator.seed.persistence.LineageRepository;
import dev.turbofarm.coordinator.seed.persistence.LineageRepository.Node;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * An image's lineage both ways: its ancestry back to the exploration it started from, and the
 * images derived from it. A lineage stays within one team (derived jobs belong to their parent's).
 */
@ApplicationScoped
public class Lineages {
  private final LineageRepository lineage;

  Lineages(LineageRepository lineage) {
    this.lineage = lineage;
  }

  /**
   * An image with its ancestors (root first, the image last) and its children.
   *
   * @param ancestry the root first, the image itself last
   * @param children images derived from it directly
   */
  public record Lineage(List<LineageImage> ancestry, List<LineageImage> children) {}

  /**
   * The image's lineage.
   *
   * @throws NotFoundProblem for an image that does not exist or is outside {@code scope}
   */
  public Lineage of(UUID jobId, int index, TeamScope scope) {
    return new Lineage(
        images(ancestry(jobId, index, scope)), images(lineage.descendants(jobId, index, 1)));
  }

  /**
   * Images derived from the image: its children, or every generation below it.
   *
   * @throws NotFoundProblem for an image that does not exist or is outside {@code scope}
   */
  public List<LineageImage> descendants(
      UUID jobId, int index, boolean allGenerations, TeamScope scope) {
    ancestry(jobId, index, scope);
    return images(lineage.descendants(jobId, index, allGenerations ? Integer.MAX_VALUE : 1));
  }

  private List<Node> ancestry(UUID jobId, int index, TeamScope scope) {
    List<Node> ancestry = lineage.ancestry(jobId, index);
    if (ancestry.isEmpty() || !scope.sees(ancestry.get(ancestry.size() - 1).team())) {
      throw new NotFoundProblem("no image " + index + " of job " + jobId);
    }
    return ancestry;
  }

  private static List<LineageImage> images(List<Node> nodes) {
    return nodes.stream()
        .map(
            n ->
                new LineageImage(
                    n.depth(),
                    n.jobId(),
                    n.index(),
                    n.team(),
                    n.state(),
                    n.prompt(),
                    n.derivation(),
                    n.parentJobId(),
                    n.parentIndex(),
                    n.seed(),
                    n.seedOffset(),
                    n.width(),
                    n.height(),
                    n.steps(),
                    n.stepProfile(),
                    n.guidance(),
                    n.model(),
                    n.quality(),
                    n.storageKey(),
                    n.verdict(),
                    n.rating()))
        .toList();
  }
}
