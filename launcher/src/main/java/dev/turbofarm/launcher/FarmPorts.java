package dev.turbofarm.launcher;

import dev.turbofarm.embedded.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The farm's ports: 0 picks a free one; a busy fixed one is an error or, if allowed, replaced. */
final class FarmPorts {
  private static final Logger LOG = LoggerFactory.getLogger(FarmPorts.class);

  private FarmPorts() {}

  /** The coordinator's HTTP port; a busy one is an error naming {@code FARM_HTTP_PORT}. */
  static int http(int requested) {
    if (requested == 0) {
      return Ports.freePort();
    }
    // Quarkus binds all interfaces, so probe the wildcard address, not only loopback.
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(requested));
      return requested;
    } catch (IOException e) {
      throw new FarmException(
          "port "
              + requested
              + " for the coordinator's HTTP API is already in use (another farm, or another app?). "
              + "Stop it, or pick another port: FARM_HTTP_PORT="
              + (requested + 1)
              + " ./farm ...");
    }
  }

  /**
   * The port for {@code what}: {@code requested}, or a free one when it is 0 or (with {@code
   * freeIfBusy}) taken; a taken one without it is an error naming {@code envName}.
   */
  static int service(String what, int requested, String envName, boolean freeIfBusy) {
    if (requested == 0) {
      return Ports.freePort();
    }
    if (Ports.isFree(requested)) {
      return requested;
    }
    if (freeIfBusy) {
      int free = Ports.freePort();
      LOG.warn(
          "port {} for {} is in use; using free port {} instead (set {} to choose)",
          requested,
          what,
          free,
          envName);
      return free;
    }
    throw new FarmException(
        "port "
            + requested
            + " for "
            + what
            + " is already in use; set "
            + envName
            + " to another port");
  }
}
