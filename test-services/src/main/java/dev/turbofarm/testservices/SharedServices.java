package dev.turbofarm.testservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;

/** The JVM-wide {@link TestServices}: started once, stopped when the JVM exits. */
final class SharedServices {
  private static TestServices services;

  private SharedServices() {}

  static synchronized TestServices get() {
    if (services == null) {
      TestServices.Kind kind = TestServices.chosen();
      if (kind == TestServices.Kind.CONTAINERS) {
        Assumptions.assumeTrue(Docker.available(), Docker::missingMessage);
        services = ContainerServices.start();
      } else {
        try {
          services = EmbeddedServices.start(Files.createTempDirectory("turbofarm-test-"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      AutoCloseable started = (AutoCloseable) services;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (Exception e) {
                      // the JVM is exiting; the processes and containers go with it
                    }
                  },
                  "test-services-stop"));
    }
    return services;
  }
}
