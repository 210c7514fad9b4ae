package dev.turbofarm.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.model.api.Pipeline;
import dev.turbofarm.model.api.PipelineProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineCatalogTest {

  @Test
  void findsTheBundledModelAndTheInstantPipelineOnTheClassPath() {
    PipelineCatalog catalog = PipelineCatalog.discover(List.of());
    assertThat(catalog.names()).contains("bundled", "instant");
    assertThat(catalog.provider("instant").load()).isInstanceOf(InstantPipeline.class);
  }

  @Test
  void anUnknownNameFailsNamingThePipelinesFound() {
    PipelineCatalog catalog = PipelineCatalog.discover(List.of());
    assertThatThrownBy(() -> catalog.provider("zimage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown pipeline 'zimage'")
        .hasMessageContaining("bundled, instant");
  }

  @Test
  void thePipelinePathAddsProviders(@TempDir Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(PipelineProvider.class.getName()), PathOnlyProvider.class.getName());

    assertThat(PipelineCatalog.discover(List.of()).names()).doesNotContain("path-only");
    PipelineCatalog withPath = PipelineCatalog.discover(PipelineCatalog.parsePath(dir.toString()));
    assertThat(withPath.names()).contains("path-only", "bundled", "instant");
  }

  @Test
  void aMissingPipelinePathEntryIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("no-such.jar");
    assertThatThrownBy(() -> PipelineCatalog.discover(List.of(missing)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aBlankPipelinePathIsEmpty() {
    assertThat(PipelineCatalog.parsePath(null)).isEmpty();
    assertThat(PipelineCatalog.parsePath(" ")).isEmpty();
    assertThat(PipelineCatalog.parsePath("a.jar:b"))
        .containsExactly(Path.of("a.jar"), Path.of("b"));
  }

  /** Registered only in the services file the test writes on a pipeline path. */
  public static final class PathOnlyProvider implements PipelineProvider {
    @Override
    public String name() {
      return "path-only";
    }

    @Override
    public Pipeline load() {
      return new InstantPipeline();
    }
  }
}
