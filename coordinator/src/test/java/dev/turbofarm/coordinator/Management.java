package dev.turbofarm.coordinator;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The management interface of the coordinator under test ({@code /q/health}, {@code /q/metrics}):
 * its own port, not the API's ({@code quarkus.management.test-port=0} picks a free one).
 */
final class Management {
  private Management() {}

  /** The port the management interface listens on in this test run. */
  static int port() {
    return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
  }

  /** An absolute URL on the management interface. */
  static String url(String path) {
    return "http://localhost:" + port() + path;
  }
}
