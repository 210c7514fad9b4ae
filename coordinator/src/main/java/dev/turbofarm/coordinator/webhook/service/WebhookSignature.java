package dev.turbofarm.coordinator.webhook.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature (standardwebhooks.com): headers {@code webhook-id} (the same on
 * every retry of one message), {@code webhook-timestamp} (Unix seconds) and {@code
 * webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, keyed by the team's secret
 * {@code whsec_<base64 key>}. A receiver recomputes it, refuses a timestamp too far from its clock
 * (five minutes is usual) and remembers ids it has seen, so a replayed delivery is refused; any
 * Standard Webhooks library verifies it.
 */
public final class WebhookSignature {
  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** The prefix of a secret in its text form. */
  public static final String SECRET_PREFIX = "whsec_";

  /** Key bytes of a generated secret: 256 bits, the HMAC's own size. */
  static final int KEY_BYTES = 32;

  /** Fewest key bytes a secret set by an admin may have: 128 bits. */
  public static final int MIN_KEY_BYTES = 16;

  /** Most key bytes a secret may have. */
  public static final int MAX_KEY_BYTES = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignature() {}

  /** A new random secret, {@code whsec_} and 32 key bytes in base64. */
  public static String newSecret() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * The key bytes of a secret.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static byte[] key(String secret) {
    if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
      throw new IllegalArgumentException("must start with " + SECRET_PREFIX);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be " + SECRET_PREFIX + " followed by base64");
    }
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "has " + key.length + " key bytes; must have " + MIN_KEY_BYTES + ".." + MAX_KEY_BYTES);
    }
    return key;
  }

  /** {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}. */
  public static String sign(String secret, String id, long timestampS, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
      mac.update((id + "." + timestampS + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
