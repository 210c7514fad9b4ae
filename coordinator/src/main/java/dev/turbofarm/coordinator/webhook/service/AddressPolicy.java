package dev.turbofarm.coordinator.webhook.service;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses a webhook may reach: none inside the farm's own networks. Refused are loopback
 * (127/8, ::1), private (RFC 1918: 10/8, 172.16/12, 192.168/16; unique local fc00::/7), link-local
 * (169.254/16, fe80::/10), shared CGNAT space (100.64/10), multicast, unspecified (0.0.0.0, ::),
 * "this network" (0/8), reserved (240/4, broadcast), the IETF and benchmarking blocks, and the
 * cloud metadata services (169.254.169.254, fd00:ec2::254, 100.100.100.200, 168.63.129.16, all in
 * those ranges or named). An IPv6 address that embeds an IPv4 one (mapped, compatible, NAT64, 6to4,
 * Teredo) is judged by the IPv4 address it reaches. An address in the configured allow-list ({@code
 * turbofarm.webhooks.allowed-networks}, CIDR blocks, empty by default) passes anyway.
 */
public final class AddressPolicy {
  /** Refused IPv4 blocks, with why. */
  private static final List<Block> REFUSED_V4 =
      List.of(
          Block.of("0.0.0.0/8", "an unspecified or 'this network' address"),
          Block.of("10.0.0.0/8", "a private address (RFC 1918)"),
          Block.of("100.64.0.0/10", "a shared carrier-grade NAT address (RFC 6598)"),
          Block.of("127.0.0.0/8", "a loopback address"),
          Block.of("169.254.0.0/16", "a link-local address (cloud metadata services live here)"),
          Block.of("172.16.0.0/12", "a private address (RFC 1918)"),
          Block.of("192.0.0.0/24", "an IETF protocol address"),
          Block.of("192.168.0.0/16", "a private address (RFC 1918)"),
          Block.of("198.18.0.0/15", "a benchmarking address"),
          Block.of("224.0.0.0/4", "a multicast address"),
          Block.of("240.0.0.0/4", "a reserved or broadcast address"),
          Block.of("168.63.129.16/32", "a cloud metadata address"));

  /** Refused IPv6 blocks (embedded IPv4 addresses are judged by the IPv4 list). */
  private static final List<Block> REFUSED_V6 =
      List.of(
          Block.of("::/128", "an unspecified address"),
          Block.of("::1/128", "a loopback address"),
          Block.of(
              "fc00::/7", "a unique local (private) address; fd00:ec2::254 is a metadata address"),
          Block.of("fe80::/10", "a link-local address"),
          Block.of("fec0::/10", "a site-local address"),
          Block.of("ff00::/8", "a multicast address"),
          Block.of("100::/64", "a discard-only address"));

  private final List<Block> allowed;

  /**
   * @param allowedNetworks CIDR blocks (or single addresses) a webhook may reach even though they
   *     are refused otherwise
   * @throws IllegalArgumentException naming a block that cannot be read
   */
  public AddressPolicy(List<String> allowedNetworks) {
    this.allowed = allowedNetworks.stream().map(s -> Block.of(s.trim(), "allowed")).toList();
  }

  /** Why {@code address} is refused, or null when a webhook may connect to it. */
  public String refusal(InetAddress address) {
    for (Block b : allowed) {
      if (b.contains(address)) {
        return null;
      }
    }
    InetAddress judged = address;
    if (address instanceof Inet6Address v6) {
      InetAddress embedded = embeddedV4(v6.getAddress());
      if (embedded != null) {
        judged = embedded;
        for (Block b : allowed) {
          if (b.contains(judged)) {
            return null;
          }
        }
      }
    }
    for (Block b : judged instanceof Inet4Address ? REFUSED_V4 : REFUSED_V6) {
      if (b.contains(judged)) {
        return address.getHostAddress() + " is " + b.why();
      }
    }
    return null;
  }

  /**
   * The IPv4 address an IPv6 one carries: IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
   * NAT64 64:ff9b::a.b.c.d, 6to4 2002:a.b.c.d::/48, Teredo 2001:0::/32 (client address inverted);
   * null when none.
   */
  static InetAddress embeddedV4(byte[] a) {
    try {
      boolean zero80 = true;
      for (int i = 0; i < 10; i++) {
        zero80 &= a[i] == 0;
      }
      if (zero80
          && ((a[10] == (byte) 0xff && a[11] == (byte) 0xff) || (a[10] == 0 && a[11] == 0))) {
        boolean allZero = true;
        for (int i = 12; i < 16; i++) {
          allZero &= a[i] == 0;
        }
        // :: and ::1 are IPv6's own unspecified and loopback addresses, judged as such.
        if (a[10] == 0 && (allZero || (a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] == 1))) {
          return null;
        }
        return InetAddress.getByAddress(new byte[] {a[12], a[13], a[14], a[15]});
      }
      if (a[0] == 0x00 && a[1] == 0x64 && a[2] == (byte) 0xff && a[3] == (byte) 0x9b) {
        return InetAddress.getByAddress(new byte[] {a[12], a[13], a[14], a[15]});
      }
      if (a[0] == 0x20 && a[1] == 0x02) {
        return InetAddress.getByAddress(new byte[] {a[2], a[3], a[4], a[5]});
      }
      if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) {
        return InetAddress.getByAddress(
            new byte[] {(byte) ~a[12], (byte) ~a[13], (byte) ~a[14], (byte) ~a[15]});
      }
      return null;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An address block. */
  private record Block(byte[] network, int prefix, String why) {
    static Block of(String cidr, String why) {
      int slash = cidr.indexOf('/');
      String host = slash < 0 ? cidr : cidr.substring(0, slash);
      byte[] net;
      try {
        if (!host.matches("[0-9a-fA-F:.]+")) {
          throw new IllegalArgumentException("not an IP address: " + cidr);
        }
        net = InetAddress.getByName(host).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: " + cidr, e);
      }
      int prefix = slash < 0 ? net.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
      if (prefix < 0 || prefix > net.length * 8) {
        throw new IllegalArgumentException("prefix out of range: " + cidr);
      }
      return new Block(net, prefix, why);
    }

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }
  }
}
