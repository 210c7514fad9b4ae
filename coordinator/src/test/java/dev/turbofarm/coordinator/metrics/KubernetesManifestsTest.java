package dev.turbofarm.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.turbofarm.coordinator.metrics.service.FarmMetrics;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes renders with {@code kubectl kustomize} (Debian's kubernetes-client) and scales
 * the workers on a metric the coordinator really exports. Without kubectl the rendering check is
 * skipped with a message, except in CI ({@code CI=true}), where it fails.
 */
class KubernetesManifestsTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("deploy/kubernetes"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      fail("deploy/kubernetes not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static Optional<Path> kubectl() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      Path p = Path.of(d, "kubectl");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isEmpty()) {
          out.add(n);
        }
      }
    }
    return out;
  }

  private static JsonNode only(List<JsonNode> docs, String kind, String name) {
    List<JsonNode> found =
        docs.stream()
            .filter(d -> kind.equals(d.path("kind").asText()))
            .filter(d -> name.equals(d.path("metadata").path("name").asText()))
            .toList();
    assertThat(found).as("%s %s in the rendered manifests", kind, name).hasSize(1);
    return found.get(0);
  }

  @Test
  void kustomizeRendersTheFarm() throws Exception {
    Optional<Path> kubectl = kubectl();
    if (kubectl.isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("kubectl is not on PATH in CI: install Debian's kubernetes-client");
      }
      Assumptions.abort("kubectl is not on PATH: skipping `kubectl kustomize deploy/kubernetes`");
    }
    Process p =
        new ProcessBuilder(kubectl.get().toString(), "kustomize", "deploy/kubernetes")
            .directory(repoRoot().toFile())
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finishes").isTrue();
    String rendered = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("kubectl kustomize failed:%n%s", rendered).isZero();

    List<JsonNode> docs = documents(rendered);
    JsonNode scaled = only(docs, "ScaledObject", "turbofarm-worker");
    assertThat(scaled.path("metadata").path("namespace").asText()).isEqualTo("turbofarm");
    assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText())
        .isEqualTo("turbofarm-worker");

    JsonNode worker = only(docs, "Deployment", "turbofarm-worker");
    JsonNode container =
        worker.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(container.path("resources").path("requests").path("nvidia.com/gpu").asText())
        .isEqualTo("1");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/health/ready");

    JsonNode coordinator = only(docs, "Deployment", "turbofarm-coordinator");
    assertThat(coordinator.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
    only(docs, "Service", "turbofarm-coordinator");
    only(docs, "PodDisruptionBudget", "turbofarm-coordinator");
    only(docs, "PodDisruptionBudget", "turbofarm-worker");
    JsonNode dashboard = only(docs, "ConfigMap", "turbofarm-grafana-dashboard");
    JsonNode panels = YAML.readTree(dashboard.path("data").path("grafana-dashboard.json").asText());
    assertThat(panels.path("panels").size()).isGreaterThan(0);
  }

  @Test
  void theScaledObjectQueriesAMetricTheCoordinatorExports() throws Exception {
    JsonNode scaled =
        only(
            documents(Files.readString(repoRoot().resolve("deploy/kubernetes/scaledobject.yaml"))),
            "ScaledObject",
            "turbofarm-worker");
    JsonNode trigger = scaled.path("spec").path("triggers").get(0);
    assertThat(trigger.path("type").asText()).isEqualTo("prometheus");
    String query = trigger.path("metadata").path("query").asText();
    // The Prometheus name of the gauge FarmMetrics registers (MetricsTest reads it on /q/metrics).
    assertThat(FarmMetrics.DESIRED_WORKERS_PROMETHEUS)
        .isEqualTo(FarmMetrics.DESIRED_WORKERS.replace('.', '_'));
    assertThat(query).containsPattern("\\b" + FarmMetrics.DESIRED_WORKERS_PROMETHEUS + "\\b");
    // ...and the operations guide documents it.
    assertThat(Files.readString(repoRoot().resolve("docs/operations.md")))
        .contains("`" + FarmMetrics.DESIRED_WORKERS_PROMETHEUS + "`");
  }
}
