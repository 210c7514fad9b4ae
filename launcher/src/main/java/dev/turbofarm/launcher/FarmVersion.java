package dev.turbofarm.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The launcher's version as the build wrote it ({@code version.properties}, filtered by Maven from
 * the pom's version): {@code farm --version} prints it, and it names the worker jar to run.
 */
final class FarmVersion implements IVersionProvider {
  private static final String RESOURCE = "version.properties";

  private static final String VERSION = read();

  static String version() {
    return VERSION;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"farm " + VERSION};
  }

  private static String read() {
    try (InputStream in = FarmVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is missing from the launcher's classes; rebuild with mvn package");
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "");
      if (v.isBlank() || v.contains("${")) {
        throw new IllegalStateException(
            RESOURCE + " holds no version (" + v + "); the build did not filter it");
      }
      return v.trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
