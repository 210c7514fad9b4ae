package dev.turbofarm.coordinator.webhook.service;

import dev.turbofarm.coordinator.config.FarmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may go, checked twice: when the batch is submitted (a 400 naming {@code webhook})
 * and again when it is sent, because the host's addresses may have changed meanwhile (DNS
 * rebinding). Every address the host resolves to must pass the {@link AddressPolicy}; the delivery
 * then connects to the address that was checked, never to a second lookup's. Only https, except in
 * the dev and test profiles ({@code turbofarm.webhooks.allow-http}); no user name or password in
 * the URL (it would end in logs).
 */
@ApplicationScoped
public class WebhookTargets {
  /** Longest webhook URL, characters. */
  public static final int MAX_URL_CHARS = 2000;

  private final HostResolver resolver;
  private final AddressPolicy policy;
  private final boolean allowHttp;

  @Inject
  WebhookTargets(HostResolver resolver, FarmConfig config) {
    this(
        resolver,
        new AddressPolicy(config.webhooks().allowedNetworks().orElse(List.of())),
        config.webhooks().allowHttp());
  }

  /** For tests of the policy without a container. */
  public WebhookTargets(HostResolver resolver, AddressPolicy policy, boolean allowHttp) {
    this.resolver = resolver;
    this.policy = policy;
    this.allowHttp = allowHttp;
  }

  /**
   * A checked destination: the URL, and the address the delivery connects to.
   *
   * @param address one of the host's addresses, each of which passed the policy
   */
  public record Target(URI url, InetAddress address) {
    public boolean https() {
      return "https".equals(url.getScheme());
    }

    public int port() {
      return url.getPort() >= 0 ? url.getPort() : https() ? 443 : 80;
    }

    /** Path and query, as the request line carries them. */
    public String requestUri() {
      String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }
  }

  /**
   * What is wrong with {@code url} as a batch's webhook, or null when nothing is (its host resolved
   * now and every address passed).
   */
  public String problemAtIntake(String url) {
    try {
      check(url);
      return null;
    } catch (WebhookRefusedException e) {
      return e.getMessage();
    }
  }

  /**
   * Checks the URL again at send time and picks the address to connect to.
   *
   * @throws WebhookRefusedException when the URL or any address the host now has is refused
   */
  public Target check(String url) {
    if (url.length() > MAX_URL_CHARS) {
      throw new WebhookRefusedException("is longer than " + MAX_URL_CHARS + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new WebhookRefusedException("is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      throw new WebhookRefusedException(
          allowHttp ? "must be an http or https URL" : "must be an https URL");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new WebhookRefusedException("must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new WebhookRefusedException("must not carry a user name or password");
    }
    if (uri.getFragment() != null) {
      throw new WebhookRefusedException("must not have a fragment (#...)");
    }
    String host = uri.getHost();
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(bare);
    } catch (UnknownHostException e) {
      throw new WebhookRefusedException("names the host " + host + ", which does not resolve");
    }
    if (addresses.isEmpty()) {
      throw new WebhookRefusedException("names the host " + host + ", which has no address");
    }
    for (InetAddress a : addresses) {
      String refusal = policy.refusal(a);
      if (refusal != null) {
        throw new WebhookRefusedException(
            "may not point inside the farm's networks: "
                + host
                + (bare.equals(a.getHostAddress()) ? "" : " resolves to " + a.getHostAddress())
                + " ("
                + refusal
                + "); an admin can allow it with turbofarm.webhooks.allowed-networks");
      }
    }
    return new Target(uri, addresses.get(0));
  }
}
