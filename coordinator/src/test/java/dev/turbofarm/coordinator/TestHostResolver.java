package dev.turbofarm.coordinator;

import dev.turbofarm.coordinator.webhook.service.HostResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coordinator tests' resolver, in place of the system's: IP literals are parsed (no lookup),
 * names a test scripted answer from the script, every other name does not resolve. So no test looks
 * a name up, and a webhook can only ever reach an address a test wrote down.
 */
@ApplicationScoped
public class TestHostResolver implements HostResolver {
  private static final Map<String, Deque<List<InetAddress>>> SCRIPT = new ConcurrentHashMap<>();

  /**
   * From now on {@code host} resolves to each answer in turn, the last one repeated (an answer is
   * the host's addresses, as IP literals).
   */
  @SafeVarargs
  public static void script(String host, List<String>... answers) {
    Deque<List<InetAddress>> d = new ArrayDeque<>();
    for (List<String> a : answers) {
      d.add(a.stream().map(TestHostResolver::literal).toList());
    }
    SCRIPT.put(host, d);
  }

  @Override
  public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
    if (host.matches("[0-9.]+") || host.contains(":")) {
      return List.of(literal(host));
    }
    Deque<List<InetAddress>> d = SCRIPT.get(host);
    if (d == null || d.isEmpty()) {
      throw new UnknownHostException(host + " (not scripted in TestHostResolver)");
    }
    return d.size() > 1 ? d.poll() : d.peek();
  }

  private static InetAddress literal(String ip) {
    try {
      // A literal: InetAddress parses it without any lookup.
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }
}
