package dev.turbofarm.worker.pipeline;

import dev.turbofarm.model.api.PipelineProvider;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pipelines a worker can run: every {@link PipelineProvider} registered on its class path
 * ({@code META-INF/services}), plus those in the jars and folders of its pipeline path, by name.
 * The pipeline path adds a model to a packaged worker without rebuilding it, as Kafka Connect's
 * {@code plugin.path} adds connectors.
 */
public final class PipelineCatalog {
  private final Map<String, PipelineProvider> byName;

  private PipelineCatalog(Map<String, PipelineProvider> byName) {
    this.byName = byName;
  }

  /**
   * Finds the providers on the worker's class path and on {@code pipelinePath}.
   *
   * @param pipelinePath extra jars or class folders, searched after the class path; may be empty
   * @throws IllegalArgumentException when a path entry does not exist or two providers share a name
   */
  public static PipelineCatalog discover(List<Path> pipelinePath) {
    ClassLoader parent = PipelineCatalog.class.getClassLoader();
    ClassLoader loader =
        pipelinePath.isEmpty() ? parent : new URLClassLoader(urls(pipelinePath), parent);
    Map<String, PipelineProvider> found = new TreeMap<>();
    try {
      for (PipelineProvider p : ServiceLoader.load(PipelineProvider.class, loader)) {
        PipelineProvider before = found.putIfAbsent(p.name(), p);
        if (before != null) {
          throw new IllegalArgumentException(
              "two pipeline providers are named '"
                  + p.name()
                  + "': "
                  + before.getClass().getName()
                  + " and "
                  + p.getClass().getName()
                  + "; remove one from the class path or --pipeline-path");
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalArgumentException(
          "a pipeline provider on the class path or --pipeline-path cannot be loaded: "
              + e.getMessage(),
          e);
    }
    return new PipelineCatalog(found);
  }

  /** Splits a pipeline path ({@link File#pathSeparator}-separated); blank gives none. */
  public static List<Path> parsePath(String path) {
    List<Path> out = new ArrayList<>();
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          out.add(Path.of(entry.trim()));
        }
      }
    }
    return out;
  }

  /** Names of the pipelines found, sorted. */
  public Set<String> names() {
    return byName.keySet();
  }

  /**
   * The provider named {@code name}.
   *
   * @throws IllegalArgumentException naming the pipelines found
   */
  public PipelineProvider provider(String name) {
    PipelineProvider p = byName.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown pipeline '"
              + name
              + "'; found "
              + String.join(", ", byName.keySet())
              + " (providers of "
              + PipelineProvider.class.getName()
              + " on the class path and --pipeline-path)");
    }
    return p;
  }

  private static URL[] urls(List<Path> entries) {
    URL[] urls = new URL[entries.size()];
    for (int i = 0; i < urls.length; i++) {
      Path p = entries.get(i).toAbsolutePath();
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("pipeline path entry " + p + " does not exist");
      }
      try {
        urls[i] = p.toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("pipeline path entry " + p + " is not a valid path", e);
      }
    }
    return urls;
  }
}
