package dev.turbofarm.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The API key format, shared by the coordinator (which stores hashes and checks keys) and the
 * launcher (which creates the local admin key and bootstraps a database): {@code tf_} followed by
 * 256 random bits in URL-safe Base64 (43 characters). Only {@link #hash} of a key is ever stored.
 *
 * <p>Why SHA-256 and not a password hash (bcrypt, Argon2): a key is 256 bits from a {@link
 * SecureRandom}, not something a person chose, so there is no dictionary to try and brute force
 * over 2^256 is out of reach whatever the hash costs. A slow hash would only make every request
 * slower. See docs/security.md.
 */
public final class ApiKeySecrets {
  /**
   * Every key starts with this, so keys and OIDC tokens can share {@code Authorization: Bearer}.
   */
  public static final String PREFIX = "tf_";

  /** Random bytes in a generated key: 256 bits. */
  private static final int SECRET_BYTES = 32;

  /** Characters of a key kept in clear to recognise it in a list: {@code tf_} and 6 more. */
  private static final int SHOWN_CHARS = PREFIX.length() + 6;

  /**
   * What a key must look like: the prefix, then 32..256 URL-safe characters (a configured bootstrap
   * key may be longer than a generated one, never shorter than 32 characters).
   */
  private static final Pattern FORMAT = Pattern.compile("tf_[A-Za-z0-9_-]{32,256}");

  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeySecrets() {}

  /** A new key: {@code tf_} and 256 random bits. Shown once; store only its {@link #hash}. */
  public static String generate() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** Whether a bearer token is meant as an API key (else it may be an OIDC token). */
  public static boolean isApiKey(String token) {
    return token != null && token.startsWith(PREFIX);
  }

  /** Whether {@code key} has the form of a key (a configured key is checked with this). */
  public static boolean wellFormed(String key) {
    return key != null && FORMAT.matcher(key).matches();
  }

  /** Hex SHA-256 of the whole key, prefix included: what the database stores and looks up. */
  public static String hash(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The key's first characters, safe to show: {@code tf_AbC123}. */
  public static String shown(String key) {
    return key.substring(0, Math.min(SHOWN_CHARS, key.length()));
  }
}
