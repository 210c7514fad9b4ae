package dev.turbofarm.coordinator.webhook.service;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** The JVM's resolver (its positive-answer cache is short: 30 s by default). */
@ApplicationScoped
@DefaultBean
public class SystemHostResolver implements HostResolver {
  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    return List.of(InetAddress.getAllByName(host));
  }
}
