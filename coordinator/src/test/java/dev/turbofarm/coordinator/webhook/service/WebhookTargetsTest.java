package dev.turbofarm.coordinator.webhook.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The webhook address policy, on addresses only: nothing here resolves a name or opens a connection
 * (the resolver is a map, and IP literals parse without a lookup).
 */
class WebhookTargetsTest {
  private static final AddressPolicy NO_ALLOW_LIST = new AddressPolicy(List.of());

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void internalAddressesAreRefusedWithTheReason() {
    Map<String, String> refused =
        Map.ofEntries(
            Map.entry("127.0.0.1", "loopback"),
            Map.entry("127.8.9.10", "loopback"),
            Map.entry("10.0.0.1", "private"),
            Map.entry("172.16.5.4", "private"),
            Map.entry("172.31.255.255", "private"),
            Map.entry("192.168.1.1", "private"),
            Map.entry("169.254.169.254", "link-local"),
            Map.entry("100.64.0.1", "carrier-grade NAT"),
            Map.entry("100.100.100.200", "carrier-grade NAT"),
            Map.entry("168.63.129.16", "metadata"),
            Map.entry("0.0.0.0", "unspecified"),
            Map.entry("224.0.0.251", "multicast"),
            Map.entry("255.255.255.255", "broadcast"),
            Map.entry("::1", "loopback"),
            Map.entry("::", "unspecified"),
            Map.entry("fd00:ec2::254", "unique local"),
            Map.entry("fc00::1", "unique local"),
            Map.entry("fe80::1", "link-local"),
            Map.entry("ff02::1", "multicast"),
            // IPv4 inside IPv6: judged by the IPv4 address it reaches.
            Map.entry("::ffff:127.0.0.1", "loopback"),
            Map.entry("::ffff:10.0.0.1", "private"),
            Map.entry("64:ff9b::a9fe:a9fe", "link-local"),
            Map.entry("2002:7f00:1::1", "loopback"));
    refused.forEach(
        (literal, why) ->
            assertThat(NO_ALLOW_LIST.refusal(ip(literal))).as(literal).isNotNull().contains(why));
  }

  @Test
  void publicAddressesPass() {
    for (String literal :
        List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:2800:220:1::1")) {
      assertThat(NO_ALLOW_LIST.refusal(ip(literal))).as(literal).isNull();
    }
  }

  @Test
  void theAllowListLetsExactlyWhatItNamesThrough() {
    AddressPolicy tests = new AddressPolicy(List.of("127.0.0.1/32", "10.1.0.0/16"));
    assertThat(tests.refusal(ip("127.0.0.1"))).isNull();
    assertThat(tests.refusal(ip("::ffff:127.0.0.1"))).isNull();
    assertThat(tests.refusal(ip("127.0.0.2"))).contains("loopback");
    assertThat(tests.refusal(ip("10.1.200.3"))).isNull();
    assertThat(tests.refusal(ip("10.2.0.1"))).contains("private");
    assertThatThrownBy(() -> new AddressPolicy(List.of("intranet.example/8")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A resolver from a script: each name's answers in turn, the last one repeated. */
  private static final class Script implements HostResolver {
    private final Map<String, Deque<List<InetAddress>>> answers = new HashMap<>();

    Script answer(String host, String... literals) {
      answers
          .computeIfAbsent(host, h -> new ArrayDeque<>())
          .add(List.of(literals).stream().map(WebhookTargetsTest::ip).toList());
      return this;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
      if (host.matches("[0-9.]+|.*:.*")) {
        return List.of(ip(host));
      }
      Deque<List<InetAddress>> d = answers.get(host);
      if (d == null) {
        throw new UnknownHostException(host);
      }
      return d.size() > 1 ? d.poll() : d.peek();
    }
  }

  @Test
  void aWebhookIsRefusedAtIntakeForAnyInternalAddressOfItsHost() {
    WebhookTargets targets =
        new WebhookTargets(
            new Script().answer("split.example", "93.184.216.34", "10.0.0.1"),
            NO_ALLOW_LIST,
            false);
    assertThat(targets.problemAtIntake("https://127.0.0.1/hook")).contains("loopback");
    assertThat(targets.problemAtIntake("https://10.0.0.1/hook")).contains("private");
    assertThat(targets.problemAtIntake("https://169.254.169.254/latest/meta-data/"))
        .contains("link-local");
    assertThat(targets.problemAtIntake("https://[::1]:8443/hook")).contains("loopback");
    assertThat(targets.problemAtIntake("https://split.example/hook"))
        .contains("split.example resolves to 10.0.0.1");
    assertThat(targets.problemAtIntake("https://nowhere.example/hook"))
        .contains("does not resolve");
    assertThat(targets.problemAtIntake("http://93.184.216.34/hook")).contains("https");
    assertThat(targets.problemAtIntake("https://user:pw@93.184.216.34/hook"))
        .contains("user name or password");
    assertThat(targets.problemAtIntake("https://93.184.216.34/hook")).isNull();
  }

  @Test
  void aHostThatChangesItsAddressAfterIntakeIsRefusedAtSendTime() {
    WebhookTargets targets =
        new WebhookTargets(
            new Script()
                .answer("rebind.example", "93.184.216.34")
                .answer("rebind.example", "169.254.169.254"),
            NO_ALLOW_LIST,
            false);
    assertThat(targets.problemAtIntake("https://rebind.example/hook")).isNull();
    assertThatThrownBy(() -> targets.check("https://rebind.example/hook"))
        .isInstanceOf(WebhookRefusedException.class)
        .hasMessageContaining("169.254.169.254");
  }

  @Test
  void theDeliveryConnectsToTheAddressThatWasChecked() {
    WebhookTargets targets =
        new WebhookTargets(
            new Script().answer("hooks.example", "93.184.216.34"), NO_ALLOW_LIST, false);
    WebhookTargets.Target t = targets.check("https://hooks.example:8443/in?k=1");
    assertThat(t.address()).isEqualTo(ip("93.184.216.34"));
    assertThat(t.url().getHost()).isEqualTo("hooks.example");
    assertThat(t.port()).isEqualTo(8443);
    assertThat(t.requestUri()).isEqualTo("/in?k=1");
    assertThat(t.https()).isTrue();
  }

  @Test
  void theSignatureIsStandardWebhooks() {
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    // The Standard Webhooks specification's own example.
    assertThat(
            WebhookSignature.sign(
                secret,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                "{\"test\": 2432232314}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    assertThat(WebhookSignature.newSecret()).startsWith("whsec_");
    assertThatThrownBy(() -> WebhookSignature.key("whsec_c2hvcnQ="))
        .hasMessageContaining("key bytes");
  }
}
