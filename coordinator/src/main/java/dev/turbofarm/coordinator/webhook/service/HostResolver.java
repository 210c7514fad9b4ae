package dev.turbofarm.coordinator.webhook.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a webhook's host into addresses. The system's resolver in production ({@link
 * SystemHostResolver}); tests put their own in its place, so no test looks a name up or sends
 * anything anywhere but loopback.
 */
public interface HostResolver {
  /**
   * Every address of {@code host} (an IP literal resolves to itself).
   *
   * @throws UnknownHostException when it has none
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
