package dev.turbofarm.testservices;

import org.testcontainers.DockerClientFactory;

/** Whether Testcontainers finds a working Docker engine, asked once per JVM. */
final class Docker {
  private static Boolean available;

  private Docker() {}

  static synchronized boolean available() {
    if (available == null) {
      available = DockerClientFactory.instance().isDockerAvailable();
    }
    return available;
  }

  static String missingMessage() {
    return "-D"
        + TestServices.PROPERTY
        + "=containers runs the tests against the images of docker-compose.yml, but"
        + " Testcontainers finds no working Docker engine here (is the daemon running, and"
        + " DOCKER_HOST set if it is not the default socket?). Skipped; without the property the"
        + " tests run on the embedded broker and database.";
  }
}
